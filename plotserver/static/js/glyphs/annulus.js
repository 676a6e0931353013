// annulus.js - Annulus: the ring between inner_radius and outer_radius.  The
// inner circle is traced the other way round, so the fill leaves the hole.

import { drawShapes, finite, legendBox } from './common.js';

export default {
  xs: ['x'],
  ys: ['y'],
  distances: {
    inner_radius: { dim: 'x', centered: false },
    outer_radius: { dim: 'x', centered: false },
  },
  visuals: ['line', 'fill'],
  pairs: [['x', 'y']],

  draw(ctx, g, indices) {
    const { x, y } = g.s;
    const { inner_radius: inner, outer_radius: outer } = g.sd;
    drawShapes(ctx, g, indices, (c, i) => {
      if (!finite(x[i], y[i], inner[i], outer[i])) return false;
      c.moveTo(x[i] + outer[i], y[i]);
      c.arc(x[i], y[i], outer[i], 0, 2 * Math.PI, false);
      c.moveTo(x[i] + inner[i], y[i]);
      c.arc(x[i], y[i], inner[i], 2 * Math.PI, 0, true);
      return true;
    });
  },

  legend: legendBox,
};
