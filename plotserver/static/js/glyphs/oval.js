// oval.js - Oval: a closed curve of width x height centred on (x, y),
// rotated by angle.  Built from two cubic Beziers whose control points sit
// on the corners of the width x height box, as BokehJS 0.10 drew it (so the
// curve is a little narrower than `width`: that is the original's look).

import { drawShapes, finite, legendBox } from './common.js';

export default {
  xs: ['x'],
  ys: ['y'],
  distances: { width: { dim: 'x', centered: true }, height: { dim: 'y', centered: true } },
  angles: { angle: 0 },
  visuals: ['line', 'fill'],
  pairs: [['x', 'y']],
  widenBy: { x: 'width', y: 'height' },

  draw(ctx, g, indices) {
    const { x, y } = g.s;
    const { width, height } = g.sd;
    const { angle } = g.angles;
    drawShapes(ctx, g, indices, (c, i) => {
      if (!finite(x[i], y[i], width[i], height[i], angle[i])) return false;
      const hw = width[i] / 2;
      const hh = height[i] / 2;
      const cos = Math.cos(angle[i]);
      const sin = Math.sin(angle[i]);
      const at = (px, py) => [x[i] + cos * px - sin * py, y[i] + sin * px + cos * py];
      c.moveTo(...at(0, -hh));
      c.bezierCurveTo(...at(hw, -hh), ...at(hw, hh), ...at(0, hh));
      c.bezierCurveTo(...at(-hw, hh), ...at(-hw, -hh), ...at(0, -hh));
      c.closePath();
      return true;
    });
  },

  legend: legendBox,
};
