// annular_wedge.js - AnnularWedge: the slice of a ring between inner_radius
// and outer_radius, from start_angle to end_angle (direction as Wedge).

import { drawShapes, finite, legendBox } from './common.js';
import { anticlockwise } from './wedge.js';

export default {
  xs: ['x'],
  ys: ['y'],
  distances: {
    inner_radius: { dim: 'x', centered: false },
    outer_radius: { dim: 'x', centered: false },
  },
  angles: { start_angle: undefined, end_angle: undefined },
  visuals: ['line', 'fill'],
  pairs: [['x', 'y']],

  draw(ctx, g, indices) {
    const { x, y } = g.s;
    const { inner_radius: inner, outer_radius: outer } = g.sd;
    const { start_angle: start, end_angle: end } = g.angles;
    const ccw = anticlockwise(g.attrs);
    drawShapes(ctx, g, indices, (c, i) => {
      if (!finite(x[i], y[i], inner[i], outer[i], start[i], end[i])) return false;
      c.arc(x[i], y[i], outer[i], start[i], end[i], ccw);
      c.arc(x[i], y[i], inner[i], end[i], start[i], !ccw);
      c.closePath();
      return true;
    });
  },

  legend: legendBox,
};
