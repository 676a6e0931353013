// patches.js - Patches: one closed polygon per row from xs[i]/ys[i] (NaN
// splits it), fill then stroke, properties per row.

import { drawShapes, legendBox } from './common.js';
import { tracePolygon } from './patch.js';

export default {
  xs: ['xs'],
  ys: ['ys'],
  nested: true,
  visuals: ['line', 'fill'],
  pairs: [['xs', 'ys']],

  draw(ctx, g, indices) {
    drawShapes(ctx, g, indices, (c, i) => tracePolygon(c, g.s.xs[i], g.s.ys[i]));
  },

  legend: legendBox,
};
