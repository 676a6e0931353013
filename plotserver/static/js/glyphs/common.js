// common.js - the drawing loop shared by glyphs made of one closed or open
// shape per item (markers, rects, wedges, ...).
//
// Every glyph module exports one object with the same signature:
//   xs, ys       coordinate specs along x / y (names of glyph attributes)
//   nested       true when each row holds a list of coordinates (xs/ys)
//   distances    {name: {dim: 'x'|'y', centered}} lengths with units
//   angles       {name: default} angle specs (radians, negated for canvas)
//   numbers      {name: default} plain numeric specs (screen px etc.)
//   raw          {name: default} specs kept as raw values (text, urls)
//   visuals      ['line', 'fill', 'text'] groups it uses
//   pairs        coordinate pairs that make up its data bounds
//   draw(ctx, g, indices)   g: evaluated glyph (see views/glyph_renderer.js)
//   legend(ctx, g, box)     sample for a legend entry
// Optional: bounds(g) (data bounds), prepare(g) (after screen mapping).

import { drawMarkerRaster, rasterOptions } from '../core/raster.js';
import { groupByStyle } from '../core/visuals.js';

// Below this many items every item is filled and stroked on its own, as
// BokehJS did (overlapping translucent shapes darken where they overlap);
// above it, items of one style go into one path, which is what keeps
// large scatters fast.
export const PER_ITEM_LIMIT = 2000;

let everyIndex = [];

/**
 * Every index 0..n-1 (used when nothing is selected).  Shared and read-only:
 * building a million-entry list per frame would cost more than drawing.
 */
export function allIndices(n) {
  if (everyIndex.length !== n) {
    everyIndex = new Array(n);
    for (let i = 0; i < n; i++) everyIndex[i] = i;
  }
  return everyIndex;
}

/**
 * Fill then stroke the shape `trace(ctx, i)` of every index.  `trace` must
 * only add to the current path (beginPath is done here).  Markers pass
 * `rasterShape()`: the one shape all items share ({key, extent, trace(ctx,
 * cx, cy)}, see core/raster.js), or null when sizes or angles vary; large
 * groups of one shape and one style are then drawn as a raster.
 */
export function drawShapes(ctx, g, indices, trace, rasterShape = null) {
  const fill = g.visuals.fill && g.visuals.fill.doit ? g.visuals.fill : null;
  const line = g.visuals.line && g.visuals.line.doit ? g.visuals.line : null;
  if (!fill && !line) return;
  // The raster reproduces the union picture, so never below PER_ITEM_LIMIT.
  if (rasterShape && indices.length > PER_ITEM_LIMIT && indices.length >= rasterOptions.minItems
      && (!fill || fill.isConstant) && (!line || line.isConstant)) {
    const shape = rasterShape();
    if (shape && drawMarkerRaster(ctx, g, indices, shape, fill, line)) return;
  }
  if (indices.length <= PER_ITEM_LIMIT) {
    for (const i of indices) {
      if (fill && fill.visibleAt(i)) {
        ctx.beginPath();
        if (trace(ctx, i) === false) continue;
        fill.set(ctx, i);
        ctx.fill();
      }
      if (line && line.visibleAt(i)) {
        ctx.beginPath();
        if (trace(ctx, i) === false) continue;
        line.set(ctx, i);
        ctx.stroke();
      }
    }
    return;
  }
  const visuals = [fill, line].filter(Boolean);
  for (const [first, group] of groupByStyle(indices, visuals)) {
    if (fill && fill.visibleAt(first)) {
      ctx.beginPath();
      for (const i of group) trace(ctx, i);
      fill.set(ctx, first);
      ctx.fill();
    }
    if (line && line.visibleAt(first)) {
      ctx.beginPath();
      for (const i of group) trace(ctx, i);
      line.set(ctx, first);
      ctx.stroke();
    }
  }
}

/** Stroke-only variant of drawShapes (segments, arcs, curves). */
export function strokeShapes(ctx, g, indices, trace) {
  drawShapes(ctx, { visuals: { line: g.visuals.line } }, indices, trace);
}

/** True when all given numbers are finite. */
export function finite(...values) {
  for (const v of values) if (!Number.isFinite(v)) return false;
  return true;
}

/** Legend sample of an area glyph: a filled, stroked rectangle. */
export function legendBox(ctx, g, { x0, y0, x1, y1 }, i = 0) {
  const { fill, line } = g.visuals;
  const w = x1 - x0;
  const h = y1 - y0;
  // Inset a little so the sample does not touch the row above or below.
  const inset = Math.min(w, h) * 0.1;
  ctx.beginPath();
  ctx.rect(x0 + inset, y0 + inset, w - 2 * inset, h - 2 * inset);
  if (fill && fill.visibleAt(i)) {
    fill.set(ctx, i);
    ctx.fill();
  }
  if (line && line.visibleAt(i)) {
    line.set(ctx, i);
    ctx.stroke();
  }
}

/** Legend sample of a line-like glyph: a horizontal line through the middle. */
export function legendLine(ctx, g, { x0, y0, x1, y1 }, i = 0) {
  const { line } = g.visuals;
  if (!line || !line.visibleAt(i)) return;
  const ym = (y0 + y1) / 2;
  ctx.beginPath();
  ctx.moveTo(x0, ym);
  ctx.lineTo(x1, ym);
  line.set(ctx, i);
  ctx.stroke();
}
