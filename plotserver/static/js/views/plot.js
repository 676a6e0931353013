// plot.js - one Plot: a toolbar and a canvas holding the frame (the data
// area), its side panels (axes, title) and everything its renderers draw
// (MODELS.md 4.2, 5.2-5.4).
//
// The picture is painted in three layers, each an offscreen canvas that is
// repainted only when what it shows changed, then composited onto the one
// visible canvas (whose pixels any probe can read):
//   base     border and background fills, outline, image- and underlay-level
//            renderers (grids);
//   glyphs   glyph- and annotation-level renderers, clipped to the frame;
//   overlay  axes, legends, the title.
// A data push that leaves the ranges alone repaints only the glyph layer.

import { numberOr as num } from '../core/dataspec.js';
import { textAscent } from '../core/text.js';
import { makeScale } from '../core/scales.js';
import { cssColor } from '../core/color.js';
import { LineVisual, TextVisual } from '../core/visuals.js';
import { AxisView, GridView } from './guides.js';
import { BoxAnnotationView, LegendView } from './annotations.js';
import { GlyphRendererView } from './glyph_renderer.js';
import { buildToolbar } from './toolbar.js';
import { ToolState } from '../tools/state.js';

// The tools' input handling (tools/controller.js and the seven modules it
// needs) draws nothing, so it loads once the first picture is out instead
// of before it, and each plot takes it up when it arrives (the page's
// `ready` waits for it).
let PlotInteraction = null;
let startLoading;
export const interactionLoaded = new Promise((resolve) => { startLoading = resolve; })
  .then(() => import('../tools/controller.js'))
  .then((module) => {
    PlotInteraction = module.PlotInteraction;
  }, (error) => {
    console.warn('plotserver: the tools could not be loaded:', error);
  });

/** Start loading the tools (the page calls this once its first picture is out; again is harmless). */
export function loadInteraction() {
  startLoading();
}

const SIDES = ['above', 'below', 'left', 'right'];
const AXIS_TYPES = new Set(['LinearAxis', 'LogAxis', 'CategoricalAxis', 'DatetimeAxis']);
const TITLE_STANDOFF = 8;

const sameList = (a, b) => a !== null && b !== null && a.length === b.length && a.every((v, i) => v === b[i]);

class Layer {
  constructor() {
    this.canvas = document.createElement('canvas');
    this.ctx = this.canvas.getContext('2d');
    this.key = null;
  }

  /** Size the backing store; returns the context scaled to CSS px. */
  prepare(width, height, ratio) {
    const w = Math.round(width * ratio);
    const h = Math.round(height * ratio);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    const { ctx } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
    return ctx;
  }
}

export class PlotView {
  /**
   * page: {ranges: RangeManager, requestRedraw(), services (see
   * document_view.js)}.  Inside a GridPlot, options.toolState is the grid's
   * (its toolbar drives this plot) and the plot shows no toolbar of its own.
   */
  constructor(page, model, { toolState = null } = {}) {
    this.page = page;
    this.model = model;
    this.id = model.id;
    this.sharedToolState = toolState;
    this.showToolbar = !toolState;
    this.sizeOverride = null; // {width, height} while the resize tool has changed the size
    this.el = document.createElement('div');
    this.el.className = 'ps-plot';
    this.el.dataset.objid = model.id;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'ps-canvas';
    this.canvas.dataset.plotId = model.id;
    this.ctx = this.canvas.getContext('2d');
    // Tool marks (rubber bands, crosshair: SVG) and tooltips sit over the canvas.
    this.marks = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.marks.setAttribute('class', 'ps-tool-marks');
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'ps-tooltip';
    this.tooltip.hidden = true;
    this.wrap = document.createElement('div');
    this.wrap.className = 'ps-canvas-wrap';
    this.wrap.append(this.canvas, this.marks, this.tooltip);
    this.layers = { base: new Layer(), glyphs: new Layer(), overlay: new Layer() };
    this.paints = { base: 0, glyphs: 0, overlay: 0 }; // how often each layer was repainted
    this.build();
  }

  /** (Re)read the model and everything it references. */
  build() {
    const model = this.model;
    const a = model.attributes;
    this.page.ranges.unregister(this);
    this.modelWidth = num(a.plot_width, 600);
    this.modelHeight = num(a.plot_height, 600);
    this.width = this.sizeOverride ? this.sizeOverride.width : this.modelWidth;
    this.height = this.sizeOverride ? this.sizeOverride.height : this.modelHeight;
    this.title = typeof a.title === 'string' ? a.title : '';
    this.titleText = new TextVisual(a, 'title_', { font_size: '20pt', align: 'center', baseline: 'alphabetic' });
    this.outline = new LineVisual(a, 'outline_', { color: '#aaaaaa' });
    this.borderFill = cssColor(a.border_fill ?? '#fff');
    this.backgroundFill = cssColor(a.background_fill ?? '#fff');
    const minBorder = num(a.min_border, 40);
    this.minBorder = Object.fromEntries(SIDES.map((side) => {
      const key = { above: 'top', below: 'bottom', left: 'left', right: 'right' }[side];
      return [side, num(a[`min_border_${key}`], minBorder)];
    }));
    this.xMapper = a.x_mapper_type === 'log' ? 'log' : 'linear';
    this.yMapper = a.y_mapper_type === 'log' ? 'log' : 'linear';

    this.ranges = { x: new Map(), y: new Map() };
    this.ranges.x.set('default', model.get('x_range'));
    this.ranges.y.set('default', model.get('y_range'));
    for (const [dim, name] of [['x', 'extra_x_ranges'], ['y', 'extra_y_ranges']]) {
      const extra = model.get(name);
      if (extra && typeof extra === 'object') {
        for (const [key, range] of Object.entries(extra)) if (range) this.ranges[dim].set(key, range);
      }
    }

    const renderers = (model.get('renderers') || []).filter(Boolean);
    this.glyphRendererViews = renderers.filter((r) => r.type === 'GlyphRenderer').map((r) => new GlyphRendererView(this, r));
    this.glyphRendererViewsById = new Map(this.glyphRendererViews.map((v) => [v.id, v]));
    this.gridViews = renderers.filter((r) => r.type === 'Grid').map((r) => new GridView(this, r));
    this.legendViews = renderers.filter((r) => r.type === 'Legend').map((r) => new LegendView(this, r));
    this.boxViews = renderers.filter((r) => r.type === 'BoxAnnotation').map((r) => new BoxAnnotationView(this, r));
    this.axisViews = [];
    for (const side of SIDES) {
      for (const obj of (model.get(side) || []).filter(Boolean)) {
        if (AXIS_TYPES.has(obj.type)) this.axisViews.push(new AxisView(this, obj, side));
      }
    }

    for (const dim of ['x', 'y']) {
      for (const range of this.ranges[dim].values()) this.page.ranges.register(this, range, dim);
    }
    this.structureIds = this.#structureIds();
    this.tools = (model.get('tools') || []).filter(Boolean);
    this.#useToolState();
    this.#buildDom();
    if (this.interaction) this.interaction.destroy();
    this.interaction = null;
    if (PlotInteraction) this.interaction = new PlotInteraction(this, this.toolState);
    else {
      interactionLoaded.then(() => {
        if (this.destroyed || this.interaction || !PlotInteraction) return;
        this.interaction = new PlotInteraction(this, this.toolState);
        this.interaction.glyphsPainted();
      });
    }
    for (const layer of Object.values(this.layers)) layer.key = null;
  }

  /** The grid's ToolState, or this plot's own: kept while the tools stay the same. */
  #useToolState() {
    if (this.sharedToolState) {
      this.toolState = this.sharedToolState;
      return;
    }
    const key = this.tools.map((tool) => tool.id).join(' ');
    if (this.toolState && this.toolStateKey === key) return;
    if (this.unlistenActions) this.unlistenActions();
    this.toolStateKey = key;
    this.toolState = new ToolState(this.tools);
    this.unlistenActions = this.toolState.listen((event) => {
      if (event.kind === 'action' && event.type === 'PreviewSaveTool') {
        this.page.services.savePicture([this.canvas], this.title || 'plot');
      }
    });
  }

  /** This plot's tool models of `type`, in the plot's order. */
  toolsOfType(type) {
    return this.tools.filter((tool) => tool.type === type);
  }

  /** The resize tool's size ({width, height} in CSS px; null: the model's own). */
  resize(size) {
    const minimum = 50;
    this.sizeOverride = size && {
      width: Math.max(minimum, Math.round(size.width)), height: Math.max(minimum, Math.round(size.height)),
    };
    this.width = this.sizeOverride ? this.sizeOverride.width : this.modelWidth;
    this.height = this.sizeOverride ? this.sizeOverride.height : this.modelHeight;
    this.#sizeDom();
  }

  /** Ids whose change means rebuilding this view (data sources excluded: they only redraw). */
  #structureIds() {
    return this.model.doc.reachableFrom(this.id, { skip: (obj) => obj.type.endsWith('DataSource') });
  }

  #buildDom() {
    const location = this.model.attributes.toolbar_location === undefined ? 'above' : this.model.attributes.toolbar_location;
    const children = [];
    this.toolbarLocation = this.showToolbar && typeof location === 'string' ? location : null;
    if (this.toolbarLocation) {
      this.toolbar = buildToolbar(this.tools, this.toolbarLocation, {
        state: this.toolState, showLogo: this.model.attributes.logo !== null, helpUrl: this.page.services.helpUrl,
      });
    } else {
      this.toolbar = null;
    }
    const before = this.toolbarLocation === 'above' || this.toolbarLocation === 'left';
    if (this.toolbar && before) children.push(this.toolbar);
    children.push(this.wrap);
    if (this.toolbar && !before) children.push(this.toolbar);
    this.el.className = `ps-plot ps-toolbar-at-${this.toolbarLocation || 'none'}`;
    this.el.replaceChildren(...children);
    this.#sizeDom();
  }

  #sizeDom() {
    for (const element of [this.wrap, this.canvas, this.marks]) {
      element.style.width = `${this.width}px`;
      element.style.height = `${this.height}px`;
    }
    if (this.toolbar) {
      const horizontal = this.toolbarLocation === 'above' || this.toolbarLocation === 'below';
      this.toolbar.style.width = horizontal ? `${this.width}px` : '';
      this.toolbar.style.height = horizontal ? '' : `${this.height}px`;
    }
  }

  destroy() {
    this.destroyed = true;
    this.page.ranges.unregister(this);
    if (this.interaction) this.interaction.destroy();
    if (this.unlistenActions) this.unlistenActions();
  }

  /** Scales of every range along `dim` as the ranges are now (tools work from these). */
  currentScales(dim) {
    return this.#scales(dim);
  }

  /** Something arrived that the cached layers cannot know of (an image loaded): repaint. */
  requestRedraw() {
    this.forgetPixels(false);
    this.page.requestRedraw();
  }

  /** The range model a renderer (or guide) draws against along `dim`. */
  rangeOf(view, dim) {
    const name = dim === 'x' ? view.xRangeName : view.yRangeName;
    return this.ranges[dim].get(name) || this.ranges[dim].get('default');
  }

  rangeFactors(view, dim) {
    return this.page.ranges.factorsOf(this.rangeOf(view, dim));
  }

  rangeValues(view, dim) {
    return this.page.ranges.values(this.rangeOf(view, dim), dim);
  }

  /** Place the frame: each side gets max(min_border, what is stacked there). */
  #layout(ctx) {
    const stacked = { above: 0, below: 0, left: 0, right: 0 };
    for (const axis of this.axisViews) {
      axis.computeTicks(this.rangeValues(axis, axis.dim));
      axis.offset = stacked[axis.side]; // axes stack outward in list order
      stacked[axis.side] += axis.extent(ctx);
    }
    this.titleHeight = 0;
    if (this.title) this.titleHeight = textAscent(ctx, this.titleText.font()) + TITLE_STANDOFF;
    // Whole pixels, so that the outline and the axis rules stay crisp.
    const top = Math.ceil(Math.max(this.minBorder.above, stacked.above + this.titleHeight));
    const bottom = Math.ceil(Math.max(this.minBorder.below, stacked.below));
    const left = Math.ceil(Math.max(this.minBorder.left, stacked.left));
    const right = Math.ceil(Math.max(this.minBorder.right, stacked.right));
    this.aboveStack = stacked.above;
    this.frame = {
      left, top, width: Math.max(0, this.width - left - right), height: Math.max(0, this.height - top - bottom),
    };
  }

  /** Scales for every range name along `dim` for the current frame. */
  #scales(dim) {
    const f = this.frame;
    const scales = new Map();
    for (const [name, range] of this.ranges[dim]) {
      const rv = this.page.ranges.values(range, dim);
      const kind = rv.factors ? 'linear' : (dim === 'x' ? this.xMapper : this.yMapper);
      scales.set(name, dim === 'x'
        ? makeScale(kind, rv.start, rv.end, f.left, f.left + f.width)
        : makeScale(kind, rv.start, rv.end, f.top + f.height, f.top));
    }
    return scales;
  }

  #scaleFor(view, dim) {
    const scales = dim === 'x' ? this.xScales : this.yScales;
    const name = dim === 'x' ? view.xRangeName : view.yRangeName;
    return scales.get(name) || scales.get('default');
  }

  /** Paint what changed and composite.  Cheap when nothing did. */
  render() {
    const ratio = window.devicePixelRatio || 1;
    const measure = this.layers.overlay.ctx;
    this.#layout(measure);
    this.xScales = this.#scales('x');
    this.yScales = this.#scales('y');
    const f = this.frame;
    const geometry = [this.width, this.height, ratio, f.left, f.top, f.width, f.height];
    for (const scales of [this.xScales, this.yScales]) {
      for (const scale of scales.values()) geometry.push(scale.start, scale.end);
    }
    const dataOf = (levels) => this.glyphRendererViews
      .filter((v) => levels.includes(v.level)).flatMap((v) => v.dependencies());

    const keys = {
      base: [...geometry, ...dataOf(['image', 'underlay'])],
      glyphs: [...geometry, ...dataOf(['glyph', 'annotation'])],
      overlay: [...geometry, ...dataOf(['overlay', 'tool'])],
    };
    let changed = false;
    for (const [name, layer] of Object.entries(this.layers)) {
      if (sameList(layer.key, keys[name])) continue;
      const ctx = layer.prepare(this.width, this.height, ratio);
      if (name === 'base') this.#paintBase(ctx, ratio);
      else if (name === 'glyphs') {
        this.#paintLevels(ctx, ['glyph', 'annotation'], true, ratio);
        if (this.interaction) this.interaction.glyphsPainted();
      }
      else this.#paintOverlay(ctx, ratio);
      layer.key = keys[name];
      this.paints[name] += 1;
      changed = true;
    }
    const w = Math.round(this.width * ratio);
    const h = Math.round(this.height * ratio);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
      changed = true;
    }
    if (!changed) return false;
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    for (const layer of Object.values(this.layers)) ctx.drawImage(layer.canvas, 0, 0);
    return true;
  }

  #paintBase(ctx, ratio) {
    const f = this.frame;
    if (this.borderFill) {
      ctx.fillStyle = this.borderFill;
      ctx.fillRect(0, 0, this.width, this.height);
    }
    if (this.backgroundFill) {
      ctx.fillStyle = this.backgroundFill;
      ctx.fillRect(f.left, f.top, f.width, f.height);
    }
    if (this.outline.doit) {
      this.outline.set(ctx);
      ctx.strokeRect(f.left + 0.5, f.top + 0.5, f.width - 1, f.height - 1);
    }
    this.#paintLevels(ctx, ['image', 'underlay'], true, ratio);
  }

  #paintOverlay(ctx, ratio) {
    this.#paintLevels(ctx, ['overlay', 'tool'], false, ratio);
    if (this.title && this.titleText.doit) {
      this.titleText.set(ctx);
      const baseline = this.frame.top - this.aboveStack - TITLE_STANDOFF;
      ctx.fillText(this.title, this.width / 2, baseline);
    }
  }

  /** Renderers of the given levels, each level in Plot.renderers order. */
  #paintLevels(ctx, levels, clip, ratio) {
    const f = this.frame;
    ctx.save();
    if (clip) {
      ctx.beginPath();
      ctx.rect(f.left, f.top, f.width, f.height);
      ctx.clip();
    }
    for (const level of levels) {
      for (const grid of this.gridViews) {
        if (grid.level !== level) continue;
        const scale = this.#scaleFor(grid, grid.dim);
        grid.render(ctx, f, scale, this.rangeValues(grid, grid.dim));
      }
      for (const view of this.glyphRendererViews) {
        if (view.level !== level) continue;
        ctx.save();
        view.render(ctx, this.#scaleFor(view, 'x'), this.#scaleFor(view, 'y'), f, ratio);
        ctx.restore();
      }
      for (const box of this.boxViews) {
        if (box.level === level) box.render(ctx, f, this.#scaleFor(box, 'x'), this.#scaleFor(box, 'y'), this.height);
      }
      if (level === 'overlay') {
        for (const axis of this.axisViews) axis.render(ctx, f, this.#scaleFor(axis, axis.dim), axis.offset);
      }
      for (const legend of this.legendViews) if (legend.level === level) legend.render(ctx, f);
    }
    ctx.restore();
  }

  /** Repaint every layer on the next render; with `remap` also re-map every glyph. */
  forgetPixels(remap) {
    for (const layer of Object.values(this.layers)) layer.key = null;
    if (remap) for (const view of this.glyphRendererViews) view.screen = null;
  }

  /** What a test (or a person in the console) can ask about this plot. */
  describe() {
    const x = this.xScales ? this.xScales.get('default') : null;
    const y = this.yScales ? this.yScales.get('default') : null;
    const tickLabels = { above: [], below: [], left: [], right: [] };
    const axisLabels = { above: [], below: [], left: [], right: [] };
    for (const axis of this.axisViews) {
      if (!axis.visible) continue;
      if (axis.ticks) tickLabels[axis.side].push(...axis.ticks.labels);
      if (axis.label) axisLabels[axis.side].push(axis.label);
    }
    return {
      id: this.id,
      canvasSelector: `canvas[data-plot-id="${this.id}"]`,
      frame: { ...this.frame },
      x: x ? { start: x.start, end: x.end } : null,
      y: y ? { start: y.start, end: y.end } : null,
      axes: this.axisViews.filter((axis) => axis.visible).length,
      tickLabels,
      axisLabels,
      legendLabels: this.legendViews.flatMap((l) => l.labels),
      title: this.title,
      paints: { ...this.paints },
      size: { width: this.width, height: this.height },
      tools: {
        active: Object.fromEntries(this.toolState.active),
        inspectorsOff: [...this.toolState.inspectorsOff],
        hovered: this.interaction ? this.interaction.inspectors.lastHits.map((hit) => ({ ...hit })) : [],
        hoverLookupMs: this.interaction ? this.interaction.inspectors.lookupMs : NaN,
        ...(this.interaction ? this.interaction.timings : {}),
      },
    };
  }

  /** Data (x, y) on the default ranges -> canvas CSS px. */
  toScreen(x, y) {
    return [this.xScales.get('default').map(x), this.yScales.get('default').map(y)];
  }
}
