// glyph_renderer.js - one GlyphRenderer: its glyph evaluated against its
// data source, mapped to the screen and drawn (MODELS.md 4.3, 5.6).
//
// Work is cached by what it depends on:
//   evaluated data  <- the source's `data` object (a push replaces it) and
//                      the factors of categorical ranges;
//   screen arrays   <- the evaluated data and the two scales;
// so redrawing an unchanged plot maps and evaluates nothing.

import {
  evalAngles, evalNested, evalNumbers, evalRaw, rowCount, specParts, unitsOf,
} from '../core/dataspec.js';
import { columnStats } from '../core/column_stats.js';
import { rasterStats } from '../core/raster.js';
import { factorCoordinate, factorCoordinates } from '../core/scales.js';
import { FillVisual, LineVisual, TextVisual, GLYPH_DEFAULTS } from '../core/visuals.js';
import { allIndices } from '../glyphs/common.js';
import { GLYPHS } from '../glyphs/index.js';

const VISUALS = { line: LineVisual, fill: FillVisual, text: TextVisual };

/** Visual groups of `glyphModel` evaluated against `data`. */
function evalVisuals(impl, glyphModel, data) {
  const visuals = {};
  for (const group of impl.visuals) {
    visuals[group] = new VISUALS[group](glyphModel.attributes, '', GLYPH_DEFAULTS[group], data, true);
  }
  return visuals;
}

/** The rows selected on a source, or null when nothing is (MODELS.md 4.4). */
export function selectionOf(source) {
  const selected = source && source.attributes.selected;
  if (!selected || typeof selected !== 'object') return null;
  const flag = Boolean(selected['0d'] && selected['0d'].flag);
  const rows = selected['1d'] && Array.isArray(selected['1d'].indices) ? selected['1d'].indices : [];
  const items = selected['2d'] && Array.isArray(selected['2d'].indices) ? selected['2d'].indices : [];
  if (!flag && !rows.length && !items.length) return null;
  return { flag, rows: rows.length ? rows : items };
}

export class GlyphRendererView {
  constructor(plotView, model) {
    this.plot = plotView;
    this.model = model;
    this.id = model.id;
    const attrs = model.attributes;
    this.level = typeof attrs.level === 'string' ? attrs.level : 'glyph';
    this.xRangeName = typeof attrs.x_range_name === 'string' ? attrs.x_range_name : 'default';
    this.yRangeName = typeof attrs.y_range_name === 'string' ? attrs.y_range_name : 'default';
    this.glyphModel = model.get('glyph');
    this.impl = this.glyphModel ? GLYPHS[this.glyphModel.type] : undefined;
    if (this.glyphModel && !this.impl) {
      console.warn(`plotserver: no drawing for glyph type ${this.glyphModel.type}`);
    }
    this.selectionGlyph = model.get('selection_glyph');
    this.nonselectionGlyph = model.get('nonselection_glyph');
    this.evaluated = null; // {key: [...deps], g}
    this.screen = null; // {key, ...}
  }

  get source() {
    return this.model.get('data_source');
  }

  get drawable() {
    return Boolean(this.impl && this.glyphModel.attributes.visible !== false);
  }

  /** What the picture of this renderer depends on (compared by identity). */
  dependencies() {
    const source = this.source;
    return [source, source && source.attributes.data, source && source.attributes.selected];
  }

  /** The glyph evaluated against the current data (cached). */
  glyph() {
    if (!this.drawable) return null;
    const source = this.source;
    const data = (source && source.attributes.data) || {};
    // Only the factors of categorical ranges matter here (never the fitted
    // ends: fitting a DataRange1d asks this renderer for its bounds).
    const xr = this.plot.rangeFactors(this, 'x') || {};
    const yr = this.plot.rangeFactors(this, 'y') || {};
    const key = [data, xr.index, yr.index];
    if (this.evaluated && key.every((dep, i) => dep === this.evaluated.key[i])) return this.evaluated.g;
    const g = this.#evaluate(data, xr, yr);
    if (this.evaluated) this.evaluated.g.superseded = true; // work scheduled for the old data may stop
    this.evaluated = { key, g };
    this.screen = null;
    return g;
  }

  #evaluate(data, xr, yr) {
    const impl = this.impl;
    const attrs = this.glyphModel.attributes;
    const n = rowCount(data);
    const g = {
      n, attrs, impl, model: this.glyphModel, data: {}, dist: {}, units: {}, angles: {},
      num: {}, raw: {}, s: {}, sd: {},
    };
    const coordinate = (name, range) => {
      // Factor names become synthetic coordinates on a categorical range.
      const convert = range.index ? (column) => factorCoordinates(column, range.index, range.offset) : undefined;
      if (impl.nested) return evalNested(attrs[name], data, n, convert);
      const { field, value } = specParts(attrs[name]);
      if (range.index && field === undefined && typeof value === 'string') {
        return new Float64Array(n).fill(factorCoordinate(value, range.index, range.offset));
      }
      return evalNumbers(attrs[name], data, n, { convert });
    };
    for (const name of impl.xs) g.data[name] = coordinate(name, xr);
    for (const name of impl.ys) g.data[name] = coordinate(name, yr);
    for (const [name, spec] of Object.entries(impl.distances || {})) {
      if (spec.optional && !spec.optional(attrs)) continue;
      g.dist[name] = evalNumbers(attrs[name], data, n);
      g.units[name] = spec.alwaysData ? 'data' : unitsOf(attrs, name, 'data');
    }
    for (const [name, fallback] of Object.entries(impl.angles || {})) {
      g.angles[name] = evalAngles(attrs, name, data, n, fallback, impl.angleUnits !== false);
    }
    for (const [name, fallback] of Object.entries(impl.numbers || {})) {
      if (fallback === undefined && attrs[name] === undefined) continue;
      g.num[name] = evalNumbers(attrs[name], data, n, { fallback });
    }
    for (const [name, fallback] of Object.entries(impl.raw || {})) {
      g.raw[name] = evalRaw(attrs[name], data, fallback);
    }
    g.visuals = evalVisuals(impl, this.glyphModel, data);
    if (this.selectionGlyph && GLYPHS[this.selectionGlyph.type]) {
      g.selectionVisuals = evalVisuals(impl, this.selectionGlyph, data);
    }
    if (this.nonselectionGlyph && GLYPHS[this.nonselectionGlyph.type]) {
      g.nonselectionVisuals = evalVisuals(impl, this.nonselectionGlyph, data);
    }
    g.requestRedraw = () => this.plot.requestRedraw();
    g.bounds = impl.bounds ? impl.bounds(g) : defaultBounds(g);
    return g;
  }

  /** Data bounds for DataRange1d fitting (null when there is nothing). */
  bounds() {
    const g = this.glyph();
    return g ? g.bounds : null;
  }

  /** Map the evaluated data to the screen for these scales (cached). */
  #toScreen(g, xscale, yscale, frame, pixelRatio) {
    const key = [g, xscale.offset, xscale.factor, xscale.from, yscale.offset, yscale.factor, yscale.from,
      frame.width, frame.height, pixelRatio];
    if (this.screen && key.every((dep, i) => dep === this.screen.key[i])) return;
    const impl = this.impl;
    g.s = {};
    if (!impl.mapsItself) {
      for (const name of impl.xs) this.#mapLazily(g, name, xscale);
      for (const name of impl.ys) this.#mapLazily(g, name, yscale);
    }
    g.sd = {};
    for (const [name, spec] of Object.entries(impl.distances || {})) {
      if (!g.dist[name]) continue;
      const dim = typeof spec.dim === 'function' ? spec.dim(g.attrs) : spec.dim;
      g.sd[name] = screenDistances(g, name, dim === 'x' ? xscale : yscale,
        g.data[dim === 'x' ? impl.xs[0] : impl.ys[0]], spec.centered);
    }
    g.xscale = xscale;
    g.yscale = yscale;
    g.frame = frame;
    g.pixelRatio = pixelRatio;
    g.path = null; // a line's screen path belongs to one screen mapping
    this.screen = { key };
  }

  /**
   * g.s[name]: column `name` mapped through `scale`, computed when first
   * asked for.  A large scatter drawn as a raster bins its points straight
   * from the data, so while it is panned nothing maps them (hover does,
   * once).  Flat columns are mapped into the array of the previous mapping:
   * no 8 MB allocation per frame for a million points.
   */
  #mapLazily(g, name, scale) {
    const buffers = g.screenBuffers || (g.screenBuffers = {});
    let mapped;
    Object.defineProperty(g.s, name, {
      enumerable: true,
      get: () => {
        if (mapped === undefined) {
          const values = g.data[name];
          if (this.impl.nested) {
            mapped = values.map((v) => scale.mapArray(v));
          } else {
            const reuse = buffers[name];
            mapped = reuse && reuse.length === values.length ? scale.mapArray(values, reuse) : scale.mapArray(values);
            buffers[name] = mapped;
          }
        }
        return mapped;
      },
    });
  }

  /** Draw into `ctx` (already clipped to the frame when needed). */
  render(ctx, xscale, yscale, frame, pixelRatio) {
    const g = this.glyph();
    if (!g || !g.n) return;
    this.#toScreen(g, xscale, yscale, frame, pixelRatio);
    const selection = selectionOf(this.source);
    if (!selection) {
      // Line and Patch draw all rows as one item and need no index list.
      const rasters = rasterStats.groups;
      this.impl.draw(ctx, g, this.impl.scalarVisuals ? null : allIndices(g.n));
      if (rasterStats.groups > rasters) this.#prepareSelectionLook(ctx);
      return;
    }
    // Unselected rows in the nonselection style (BokehJS default: the glyph
    // at alpha 0.2), selected rows in the selection style (default: the glyph).
    const nonselection = g.nonselectionVisuals || dimmed(g.visuals);
    const chosen = g.selectionVisuals || g.visuals;
    if (this.impl.scalarVisuals) {
      // Line and Patch are one item: selected as a whole or not at all.
      this.impl.draw(ctx, { ...g, visuals: selection.flag ? chosen : nonselection });
      return;
    }
    const { others, picked } = splitRows(g, this.source.attributes.selected, selection.rows);
    this.impl.draw(ctx, { ...g, visuals: nonselection }, others);
    this.impl.draw(ctx, { ...g, visuals: chosen }, picked);
  }

  /**
   * Once per renderer drawn as a raster (markers far outnumbering pixels),
   * when the page is idle: draw a made-up selection (every third row) in the
   * selection and nonselection styles into a scratch canvas of the same
   * device scale.  A person's first box select of a million points then
   * finds the styles' sprites and colour tables made and the code that
   * splits and draws selections compiled (~15 ms of that render otherwise).
   */
  #prepareSelectionLook(ctx) {
    if (this.selectionLookPrepared) return;
    this.selectionLookPrepared = true;
    const transform = ctx.getTransform();
    const { width, height } = ctx.canvas;
    const idle = typeof requestIdleCallback === 'function' ? requestIdleCallback : (f) => setTimeout(f, 50);
    idle(() => {
      const current = this.glyph();
      if (!current || selectionOf(this.source)) return;
      const scratch = document.createElement('canvas');
      scratch.width = width;
      scratch.height = height;
      const sctx = scratch.getContext('2d');
      sctx.setTransform(transform);
      const rows = [];
      for (let i = 0; i < current.n; i += 3) rows.push(i);
      // Split on a stand-in for `g`: the made-up selection must not be cached on it.
      const { others, picked } = splitRows({ n: current.n }, null, rows);
      this.impl.draw(sctx, { ...current, visuals: current.nonselectionVisuals || dimmed(current.visuals) }, others);
      this.impl.draw(sctx, { ...current, visuals: current.selectionVisuals || current.visuals }, picked);
    });
  }

  /** The legend sample for this renderer in the box {x0, y0, x1, y1}. */
  renderLegend(ctx, box) {
    const g = this.glyph();
    if (!g || !this.impl.legend) return;
    this.impl.legend(ctx, g, box);
  }
}

/**
 * Rows 0..n-1 split into the unselected and the selected ones, in row
 * order, as typed arrays; kept on `g` for as long as the source's
 * `selected` is the same object (a pan over a million selected points
 * must not split them again every frame).
 */
function splitRows(g, selected, rows) {
  if (g.split && g.split.selected === selected) return g.split;
  const isSelected = new Uint8Array(g.n);
  let count = 0;
  for (const i of rows) {
    if (i >= 0 && i < g.n && !isSelected[i]) {
      isSelected[i] = 1;
      count += 1;
    }
  }
  const picked = new Uint32Array(count);
  const others = new Uint32Array(g.n - count);
  // Branch-free (a write past a typed array's end is dropped): selections
  // of scattered data make the branch unpredictable.
  for (let i = 0, p = 0, o = 0; i < g.n; i++) {
    const selectedRow = isSelected[i];
    picked[p] = i;
    others[o] = i;
    p += selectedRow;
    o += 1 - selectedRow;
  }
  g.split = { selected, picked, others };
  return g.split;
}

/** The BokehJS stand-in for a missing nonselection glyph: the glyph at alpha 0.2. */
function dimmed(visuals) {
  return Object.fromEntries(Object.entries(visuals).map(([group, visual]) => [group, visual.withAlpha(0.2)]));
}

/** Screen lengths of distance spec `name` (px), converting data units through `scale`. */
function screenDistances(g, name, scale, anchors, centered) {
  const raw = g.dist[name];
  if (g.units[name] === 'screen') return raw;
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const c = anchors ? anchors[i] : 0;
    const d = raw[i];
    out[i] = centered
      ? Math.abs(scale.map(c + d / 2) - scale.map(c - d / 2))
      : Math.abs(scale.map(c + d) - scale.map(c));
  }
  return out;
}

/**
 * Data bounds from the glyph's coordinate pairs (items with a non-finite
 * coordinate are skipped), widened for rects and ovals by half their
 * largest data-unit size (MODELS.md 5.5).
 */
function defaultBounds(g) {
  let minX = Infinity; let maxX = -Infinity; let minY = Infinity; let maxY = -Infinity;
  const add = (x, y) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  };
  for (const [xn, yn] of g.impl.pairs || []) {
    const xs = g.data[xn];
    const ys = g.data[yn];
    if (g.impl.nested) {
      for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
        const a = xs[i];
        const b = ys[i];
        for (let j = 0; j < Math.min(a.length, b.length); j++) add(a[j], b[j]);
      }
    } else {
      // The hot case (a million-point line): typed columns of one length
      // whose values are all finite combine their remembered extremes (a
      // stream's unchanged x costs nothing); otherwise one tight loop.
      const sx = xs.length === ys.length ? columnStats(xs) : null;
      const sy = sx ? columnStats(ys) : null;
      if (sx && sy && sx.finite && sy.finite) {
        minX = Math.min(minX, sx.min);
        maxX = Math.max(maxX, sx.max);
        minY = Math.min(minY, sy.min);
        maxY = Math.max(maxY, sy.max);
        continue;
      }
      const n = Math.min(xs.length, ys.length);
      for (let i = 0; i < n; i++) {
        const x = xs[i];
        const y = ys[i];
        if (x - x !== 0 || y - y !== 0) continue; // NaN or infinite
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  const widen = g.impl.widenBy;
  if (widen && minX <= maxX) {
    const half = (name) => {
      if (g.units[name] !== 'data' || !g.dist[name]) return 0;
      let largest = 0;
      for (const d of g.dist[name]) if (Number.isFinite(d) && d > largest) largest = d;
      return largest / 2;
    };
    const wx = half(widen.x);
    const wy = half(widen.y);
    minX -= wx; maxX += wx; minY -= wy; maxY += wy;
  }
  return { minX, maxX, minY, maxY };
}
