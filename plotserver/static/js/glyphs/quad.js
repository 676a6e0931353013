// quad.js - Quad: an axis-aligned rectangle between left, right, top and
// bottom (all data coordinates).

import { drawShapes, finite, legendBox } from './common.js';

export default {
  xs: ['left', 'right'],
  ys: ['top', 'bottom'],
  visuals: ['line', 'fill'],
  pairs: [['left', 'top'], ['right', 'bottom']],

  draw(ctx, g, indices) {
    const { left, right, top, bottom } = g.s;
    drawShapes(ctx, g, indices, (c, i) => {
      if (!finite(left[i], right[i], top[i], bottom[i])) return false;
      c.rect(left[i], top[i], right[i] - left[i], bottom[i] - top[i]);
      return true;
    });
  },

  legend: legendBox,
};
