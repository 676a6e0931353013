// image.js - Image: a 2-D array of scalars mapped through its colour mapper
// into a bitmap (one pixel per cell, no smoothing), drawn with its lower-left
// corner at (x, y) and size dw x dh.  Array row 0 is the bottom row.
// ImageRGBA (image_rgba.js) shares the placement code below.

import { parseColor, packRGBA } from '../core/color.js';
import { rawAt } from '../core/dataspec.js';
import { finite } from './common.js';

/**
 * The rows x cols grid of image item i: a list of rows, or a flat list
 * with the `rows`/`cols` specs saying its shape.  null when malformed.
 */
export function imageGrid(g, i) {
  const item = rawAt(g.raw.image, i);
  if (!Array.isArray(item) && !ArrayBuffer.isView(item)) return null;
  if (item.length && Array.isArray(item[0])) {
    const rows = item.length;
    const cols = item[0].length;
    return { rows, cols, at: (r, c) => item[r][c] };
  }
  const rows = g.num.rows ? g.num.rows[i] : NaN;
  const cols = g.num.cols ? g.num.cols[i] : NaN;
  if (!(rows > 0 && cols > 0) || rows * cols > item.length) return null;
  return { rows, cols, at: (r, c) => item[r * cols + c] };
}

/** A canvas holding `pixels` (packed RGBA, first row = top) of size cols x rows. */
function bitmap(pixels, cols, rows) {
  const canvas = document.createElement('canvas');
  canvas.width = cols;
  canvas.height = rows;
  const context = canvas.getContext('2d');
  const data = context.createImageData(cols, rows);
  new Uint32Array(data.data.buffer).set(pixels);
  context.putImageData(data, 0, 0);
  return canvas;
}

/**
 * Turn every item into a bitmap once per received data (cached on g, which
 * is rebuilt when data or glyph change) and draw them scaled into place.
 */
export function drawImages(ctx, g, indices, toPixels) {
  if (!g.bitmaps) g.bitmaps = new Map();
  const { x, y } = g.s;
  const { dw, dh } = g.sd;
  const smoothing = ctx.imageSmoothingEnabled;
  ctx.imageSmoothingEnabled = false;
  for (const i of indices) {
    if (!finite(x[i], y[i], dw[i], dh[i])) continue;
    let canvas = g.bitmaps.get(i);
    if (canvas === undefined) {
      const grid = imageGrid(g, i);
      canvas = grid ? bitmap(toPixels(grid), grid.cols, grid.rows) : null;
      g.bitmaps.set(i, canvas);
    }
    if (!canvas) continue;
    ctx.globalAlpha = 1;
    ctx.drawImage(canvas, x[i], y[i] - dh[i], dw[i], dh[i]);
  }
  ctx.imageSmoothingEnabled = smoothing;
}

/** Bounds: anchors, extended right by the widest dw and up by the tallest dh (data units). */
export function imageBounds(g) {
  const { x, y } = g.data;
  let minX = Infinity; let maxX = -Infinity; let minY = Infinity; let maxY = -Infinity;
  const dw = g.units.dw === 'data' ? g.dist.dw : null;
  const dh = g.units.dh === 'data' ? g.dist.dh : null;
  for (let i = 0; i < g.n; i++) {
    if (!finite(x[i], y[i])) continue;
    const w = dw && Number.isFinite(dw[i]) ? dw[i] : 0;
    const h = dh && Number.isFinite(dh[i]) ? dh[i] : 0;
    minX = Math.min(minX, x[i]); maxX = Math.max(maxX, x[i] + w);
    minY = Math.min(minY, y[i]); maxY = Math.max(maxY, y[i] + h);
  }
  return { minX, maxX, minY, maxY };
}

/** A LinearColorMapper as a function value -> packed RGBA (MODELS.md 4.13). */
export function colorMapper(mapper, values) {
  const attrs = mapper ? mapper.attributes : {};
  const palette = (Array.isArray(attrs.palette) ? attrs.palette : ['#000000', '#ffffff'])
    .map((c) => packRGBA(parseColor(c) || [0, 0, 0, 1]));
  let low = typeof attrs.low === 'number' ? attrs.low : Infinity;
  let high = typeof attrs.high === 'number' ? attrs.high : -Infinity;
  if (low === Infinity || high === -Infinity) {
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      if (typeof attrs.low !== 'number' && v < low) low = v;
      if (typeof attrs.high !== 'number' && v > high) high = v;
    }
  }
  const reserveValue = typeof attrs.reserve_val === 'number' ? attrs.reserve_val : undefined;
  const reserve = packRGBA(parseColor(attrs.reserve_color ?? '#ffffff') || [255, 255, 255, 1]);
  // N equal bins over [low, high], `high` itself in the last one.  (MODELS.md
  // 4.13 writes (N - 1) bins, but the original's pictures - the last colour
  // on ~6 % of a sin x cos image, one colour around 0 - show N.)
  const last = palette.length - 1;
  const scale = high > low ? palette.length / (high - low) : 0;
  return (v) => {
    if (!Number.isFinite(v)) return 0; // transparent: no data
    if (v === reserveValue) return reserve;
    const clamped = Math.min(high, Math.max(low, v));
    return palette[Math.min(last, Math.floor((clamped - low) * scale))];
  };
}

/**
 * The pixels of one grid, `toPixel(cell)` each: data row 0 is the bottom
 * row of the picture, bitmap row 0 its top.
 */
export function gridPixels(grid, toPixel) {
  const pixels = new Uint32Array(grid.rows * grid.cols);
  for (let r = 0; r < grid.rows; r++) {
    const target = (grid.rows - 1 - r) * grid.cols;
    for (let c = 0; c < grid.cols; c++) pixels[target + c] = toPixel(grid.at(r, c));
  }
  return pixels;
}

function allValues(g) {
  const out = [];
  for (let i = 0; i < g.n; i++) {
    const grid = imageGrid(g, i);
    if (!grid) continue;
    for (let r = 0; r < grid.rows; r++) for (let c = 0; c < grid.cols; c++) out.push(Number(grid.at(r, c)));
  }
  return out;
}

/** The declaration Image and ImageRGBA share: placement, bounds, the image column. */
export const IMAGE_FIELDS = {
  xs: ['x'],
  ys: ['y'],
  distances: { dw: { dim: 'x', centered: false }, dh: { dim: 'y', centered: false } },
  numbers: { rows: undefined, cols: undefined },
  raw: { image: undefined },
  visuals: [],
  bounds: imageBounds,
  legend() {},
};

export default {
  ...IMAGE_FIELDS,

  draw(ctx, g, indices) {
    // low/high default to the data of all items drawn by this glyph.
    if (!g.mapper) g.mapper = colorMapper(g.model.get('color_mapper'), allValues(g));
    drawImages(ctx, g, indices, (grid) => gridPixels(grid, (cell) => g.mapper(Number(cell))));
  },
};
