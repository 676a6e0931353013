// arc.js - Arc: an open arc of `radius` from start_angle to end_angle
// (direction as Wedge), stroke only.

import { strokeShapes, finite, legendLine } from './common.js';
import { anticlockwise } from './wedge.js';

export default {
  xs: ['x'],
  ys: ['y'],
  distances: { radius: { dim: 'x', centered: false } },
  angles: { start_angle: undefined, end_angle: undefined },
  visuals: ['line'],
  pairs: [['x', 'y']],

  draw(ctx, g, indices) {
    const { x, y } = g.s;
    const { radius } = g.sd;
    const { start_angle: start, end_angle: end } = g.angles;
    const ccw = anticlockwise(g.attrs);
    strokeShapes(ctx, g, indices, (c, i) => {
      if (!finite(x[i], y[i], radius[i], start[i], end[i])) return false;
      c.moveTo(x[i] + radius[i] * Math.cos(start[i]), y[i] + radius[i] * Math.sin(start[i]));
      c.arc(x[i], y[i], radius[i], start[i], end[i], ccw);
      return true;
    });
  },

  legend: legendLine,
};
