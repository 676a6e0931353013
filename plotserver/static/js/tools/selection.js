// selection.js - turning hits into the `selected` attribute of data sources
// (MODELS.md 4.4): the selection lives on the source, so every renderer and
// every plot drawing that source shows it, and writing the source back to
// the server shares it with Python scripts and other pages.

import { hittable } from './hit_test.js';

/** The renderer views a tool acts on: its `renderers`, else all, filtered by `names`. */
export function toolRenderers(plotView, tool) {
  const attrs = tool ? tool.attributes : {};
  const chosen = tool ? (tool.get('renderers') || []).filter(Boolean).map((r) => r.id) : [];
  const names = Array.isArray(attrs.names) ? attrs.names : [];
  return plotView.glyphRendererViews.filter((view) => {
    if (chosen.length && !chosen.includes(view.id)) return false;
    if (names.length && !names.includes(view.model.attributes.name)) return false;
    return Boolean(view.source) && hittable(view);
  });
}

/** The wire form of a selection: rows ('1d') and a whole-glyph flag ('0d'). */
export function selectionValue(rows, flag) {
  return {
    '0d': { flag: Boolean(flag), indices: flag && rows.length ? [rows[0]] : [] },
    '1d': { indices: flag ? [] : rows },
    '2d': { indices: [] },
  };
}

function currentRows(source) {
  const selected = source.attributes.selected;
  const rows = selected && selected['1d'] && Array.isArray(selected['1d'].indices) ? selected['1d'].indices : [];
  return rows;
}

/**
 * Select on every source of `views` what `hit(view)` ({rows, flag}) finds;
 * with `append`, add to what each source had.  Sources of the views that
 * nothing was found on are cleared (a click on empty space deselects).
 * Returns the sources whose selection changed.
 */
export function selectHits(views, hit, { append = false } = {}) {
  const found = new Map(); // source -> {results: [{rows, flag}], flag}
  for (const view of views) {
    const source = view.source;
    if (!found.has(source)) found.set(source, { results: [], flag: false });
    const entry = found.get(source);
    const result = hit(view);
    entry.results.push(result.rows);
    entry.flag = entry.flag || result.flag;
  }
  const changed = [];
  for (const [source, { results, flag }] of found) {
    if (append) results.push(currentRows(source));
    const value = selectionValue(plainArray(unionOfRows(results)), flag);
    if (sameSelection(source.attributes.selected, value)) continue;
    source.attributes.selected = value;
    changed.push(source);
  }
  return changed;
}

/**
 * The sorted union of lists of row numbers.  One sorted list (one renderer,
 * no append: the usual case) is returned as it is; otherwise the rows are
 * marked in a byte per row, which costs milliseconds for a million rows
 * where a Set would cost tens.
 */
function unionOfRows(lists) {
  const nonEmpty = lists.filter((rows) => rows.length);
  if (nonEmpty.length === 0) return [];
  if (nonEmpty.length === 1 && isAscending(nonEmpty[0])) return nonEmpty[0];
  let size = 0;
  for (const rows of nonEmpty) for (const row of rows) if (row + 1 > size) size = row + 1;
  const marked = new Uint8Array(size);
  let count = 0;
  for (const rows of nonEmpty) {
    for (const row of rows) {
      if (row >= 0 && !marked[row]) {
        marked[row] = 1;
        count += 1;
      }
    }
  }
  const union = new Uint32Array(count);
  for (let row = 0, k = 0; row < size; row++) if (marked[row]) union[k++] = row;
  return union;
}

/** A plain array (the wire form) of a typed one; a loop is several times faster than Array.from. */
function plainArray(rows) {
  if (Array.isArray(rows)) return rows;
  const out = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = rows[i];
  return out;
}

function isAscending(rows) {
  for (let i = 1; i < rows.length; i++) if (!(rows[i] > rows[i - 1])) return false;
  return true;
}

function sameSelection(a, b) {
  if (!a || typeof a !== 'object') return false;
  const flagA = Boolean(a['0d'] && a['0d'].flag);
  const rowsA = a['1d'] && Array.isArray(a['1d'].indices) ? a['1d'].indices : [];
  const rowsB = b['1d'].indices;
  if (flagA !== b['0d'].flag || rowsA.length !== rowsB.length) return false;
  for (let i = 0; i < rowsA.length; i++) if (rowsA[i] !== rowsB[i]) return false;
  const items = a['2d'] && Array.isArray(a['2d'].indices) ? a['2d'].indices : [];
  return items.length === 0;
}

/**
 * A select tool's geometry in screen and data coordinates, as BokehJS kept
 * them in ToolEvents.geometries: {type: 'rect', vx0, vx1, vy0, vy1, x0, x1,
 * y0, y1}, {type: 'poly', vx, vy, x, y} or {type: 'point', vx, vy, x, y}
 * (v*: canvas px; the rest: data on the default ranges).
 */
export function geometryOf(kind, points, xscale, yscale) {
  if (kind === 'rect') {
    const [[vx0, vy0], [vx1, vy1]] = points;
    return {
      type: 'rect', vx0, vx1, vy0, vy1,
      x0: xscale.invert(vx0), x1: xscale.invert(vx1), y0: yscale.invert(vy0), y1: yscale.invert(vy1),
    };
  }
  if (kind === 'point') {
    const [[vx, vy]] = points;
    return { type: 'point', vx, vy, x: xscale.invert(vx), y: yscale.invert(vy) };
  }
  return {
    type: 'poly',
    vx: points.map((p) => p[0]),
    vy: points.map((p) => p[1]),
    x: points.map((p) => xscale.invert(p[0])),
    y: points.map((p) => yscale.invert(p[1])),
  };
}
