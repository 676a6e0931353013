// ray.js - Ray: a line from (x, y) in the direction `angle`, `length` long
// (data units through the x scale, as BokehJS 0.10 did whatever
// length_units says); length 0 means "long enough to leave the frame".

import { strokeShapes, finite, legendLine } from './common.js';

export default {
  xs: ['x'],
  ys: ['y'],
  distances: { length: { dim: 'x', centered: false, alwaysData: true } },
  angles: { angle: undefined },
  visuals: ['line'],
  pairs: [['x', 'y']],

  draw(ctx, g, indices) {
    const { x, y } = g.s;
    const { length } = g.sd;
    const { angle } = g.angles;
    const infinite = g.frame.width + g.frame.height;
    strokeShapes(ctx, g, indices, (c, i) => {
      const len = length[i] === 0 ? infinite : length[i];
      if (!finite(x[i], y[i], len, angle[i])) return false;
      c.moveTo(x[i], y[i]);
      c.lineTo(x[i] + len * Math.cos(angle[i]), y[i] + len * Math.sin(angle[i]));
      return true;
    });
  },

  legend: legendLine,
};
