// line.js - Line: one polyline through all rows in order; a non-finite point
// breaks it.  Line properties are scalar (one style for the whole path).
// Long lines are reduced per pixel column first (core/m4.js), so the cost of
// a redraw follows the plot's width, not the number of points.

import { SortedLine, reduceMapped, tracePolyline } from '../core/m4.js';
import { legendLine } from './common.js';

// Reducing a short line would cost more than it saves.
const REDUCE_ABOVE = 2048;

/** The screen path of the line: every point, or the per-column reduction of a long line. */
function screenPath(g) {
  const { x, y } = g.data;
  if (Math.min(x.length, y.length) > REDUCE_ABOVE) {
    // The first drawing of new data is one pass over the points (a stream
    // of pushes never pays for more).  Drawn again - a resize, a range
    // change - a time series is indexed once (g is rebuilt with new data),
    // which makes every later redraw of it nearly free.
    if (g.xscale.linear && g.yscale.linear && g.drawnOnce) {
      if (g.sorted === undefined) g.sorted = SortedLine.of(x, y);
      if (g.sorted) {
        return g.sorted.reduce(g.xscale, g.yscale, g.pixelRatio, g.frame.left, g.frame.left + g.frame.width);
      }
    }
    g.drawnOnce = true;
    indexWhenIdle(g);
    return reduceMapped(x, y, g.xscale, g.yscale, g.pixelRatio);
  }
  return { x: g.xscale.mapArray(x), y: g.yscale.mapArray(y), length: Math.min(x.length, y.length) };
}

// Data that stays this long is likely to be looked at (panned, zoomed);
// data replaced more often (a stream) is not worth indexing: the build of
// a million points blocks the page for ~50 ms when it runs.
const SETTLED_MS = 1500;

/**
 * Index the line when the page is idle and the data has stayed a moment,
 * so that the first frame of a pan or zoom does not pay for it (a million
 * points: ~50 ms).  A stream of pushes replaces `g` (superseded) first.
 */
function indexWhenIdle(g) {
  if (g.indexing) return;
  g.indexing = true;
  setTimeout(() => requestIdleCallback(() => {
    if (!g.superseded && g.sorted === undefined) g.sorted = SortedLine.of(g.data.x, g.data.y);
  }), SETTLED_MS);
}

export default {
  xs: ['x'],
  ys: ['y'],
  visuals: ['line'],
  scalarVisuals: true,
  // The path is made from data coordinates here (mapped and reduced in one
  // pass), so the renderer need not map a million points first.
  mapsItself: true,
  pairs: [['x', 'y']],

  draw(ctx, g) {
    const line = g.visuals.line;
    if (!line.doit || !line.visibleAt(0)) return;
    // Cached per screen mapping: an unchanged line redraws without work.
    if (!g.path) g.path = screenPath(g);
    const { x, y, length } = g.path;
    ctx.beginPath();
    tracePolyline(ctx, x, y, length);
    line.set(ctx, 0);
    ctx.stroke();
  },

  legend: legendLine,
};
