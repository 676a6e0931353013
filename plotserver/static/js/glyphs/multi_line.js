// multi_line.js - MultiLine: one polyline per row from xs[i]/ys[i]; NaN
// inside a row breaks it; line properties per row.

import { tracePolyline } from '../core/m4.js';
import { strokeShapes, legendLine } from './common.js';

export default {
  xs: ['xs'],
  ys: ['ys'],
  nested: true,
  visuals: ['line'],
  pairs: [['xs', 'ys']],

  draw(ctx, g, indices) {
    strokeShapes(ctx, g, indices, (c, i) => {
      const x = g.s.xs[i];
      const y = g.s.ys[i];
      tracePolyline(c, x, y, Math.min(x.length, y.length));
    });
  },

  legend: legendLine,
};
