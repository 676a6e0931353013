// segment.js - Segment: a straight line from (x0, y0) to (x1, y1).

import { strokeShapes, finite, legendLine } from './common.js';

export default {
  xs: ['x0', 'x1'],
  ys: ['y0', 'y1'],
  visuals: ['line'],
  pairs: [['x0', 'y0'], ['x1', 'y1']],

  draw(ctx, g, indices) {
    const { x0, y0, x1, y1 } = g.s;
    strokeShapes(ctx, g, indices, (c, i) => {
      if (!finite(x0[i], y0[i], x1[i], y1[i])) return false;
      c.moveTo(x0[i], y0[i]);
      c.lineTo(x1[i], y1[i]);
      return true;
    });
  },

  legend: legendLine,
};
