// patch.js - Patch: one polygon through all rows, closed, filled then
// stroked; a non-finite row closes the current piece and starts another.
// Properties are scalar.

import { legendBox } from './common.js';

export function tracePolygon(ctx, x, y) {
  let pen = false;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) {
      if (pen) ctx.closePath();
      pen = false;
    } else if (pen) {
      ctx.lineTo(x[i], y[i]);
    } else {
      ctx.moveTo(x[i], y[i]);
      pen = true;
    }
  }
  if (pen) ctx.closePath();
}

export default {
  xs: ['x'],
  ys: ['y'],
  visuals: ['line', 'fill'],
  scalarVisuals: true,
  pairs: [['x', 'y']],

  draw(ctx, g) {
    const { fill, line } = g.visuals;
    ctx.beginPath();
    tracePolygon(ctx, g.s.x, g.s.y);
    if (fill.doit && fill.visibleAt(0)) {
      fill.set(ctx, 0);
      ctx.fill();
    }
    if (line.doit && line.visibleAt(0)) {
      line.set(ctx, 0);
      ctx.stroke();
    }
  },

  legend: legendBox,
};
