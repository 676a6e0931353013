// wedge.js - Wedge: a pie slice of `radius` from start_angle to end_angle,
// closed to the centre.  "anticlock" (the default) sweeps counter-clockwise
// as seen, "clock" the other way.

import { drawShapes, finite, legendBox } from './common.js';

export const anticlockwise = (attrs) => attrs.direction !== 'clock';

export default {
  xs: ['x'],
  ys: ['y'],
  distances: { radius: { dim: 'x', centered: false } },
  angles: { start_angle: undefined, end_angle: undefined },
  visuals: ['line', 'fill'],
  pairs: [['x', 'y']],

  draw(ctx, g, indices) {
    const { x, y } = g.s;
    const { radius } = g.sd;
    const { start_angle: start, end_angle: end } = g.angles;
    const ccw = anticlockwise(g.attrs);
    drawShapes(ctx, g, indices, (c, i) => {
      if (!finite(x[i], y[i], radius[i], start[i], end[i])) return false;
      c.moveTo(x[i], y[i]);
      c.arc(x[i], y[i], radius[i], start[i], end[i], ccw);
      c.closePath();
      return true;
    });
  },

  legend: legendBox,
};
