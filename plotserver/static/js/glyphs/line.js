// line.js - Line: one polyline through all rows in order; a non-finite point
// breaks it.  Line properties are scalar (one style for the whole path).
// Long lines are reduced per pixel column first (core/m4.js), so the cost of
// a redraw follows the plot's width, not the number of points.

import { reduceLine, tracePolyline } from '../core/m4.js';
import { legendLine } from './common.js';

// Reducing a short line would cost more than it saves.
const REDUCE_ABOVE = 2048;

export default {
  xs: ['x'],
  ys: ['y'],
  visuals: ['line'],
  scalarVisuals: true,
  pairs: [['x', 'y']],

  draw(ctx, g) {
    const line = g.visuals.line;
    if (!line.doit || !line.visibleAt(0)) return;
    let { x, y } = g.s;
    let length = x.length;
    if (length > REDUCE_ABOVE) {
      // Cached per screen mapping: an unchanged line redraws without work.
      if (!g.reduced) g.reduced = reduceLine(x, y, g.pixelRatio);
      ({ x, y, length } = g.reduced);
    }
    ctx.beginPath();
    tracePolyline(ctx, x, y, length);
    line.set(ctx, 0);
    ctx.stroke();
  },

  legend: legendLine,
};
