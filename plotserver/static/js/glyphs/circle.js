// circle.js - Circle: of radius `radius` (through the radius_dimension
// scale when in data units) when that attribute is present and not null,
// else of diameter `size` px.

import { uniformValue } from '../core/raster.js';
import { drawShapes, finite } from './common.js';

export default {
  xs: ['x'],
  ys: ['y'],
  numbers: { size: 4 },
  distances: {
    radius: {
      dim: (attrs) => (attrs.radius_dimension === 'y' ? 'y' : 'x'),
      centered: false,
      // Only a present, non-null radius decides the size.
      optional: (attrs) => attrs.radius !== undefined && attrs.radius !== null,
    },
  },
  visuals: ['line', 'fill'],
  pairs: [['x', 'y']],

  draw(ctx, g, indices) {
    const radius = g.sd.radius;
    const { size } = g.num;
    let x;
    let y;
    drawShapes(ctx, g, indices, (c, i) => {
      // Screen coordinates only when drawn as vectors (the raster bins the data).
      if (x === undefined) ({ x, y } = g.s);
      const r = radius ? radius[i] : size[i] / 2;
      if (!finite(x[i], y[i], r)) return false;
      c.moveTo(x[i] + r, y[i]);
      c.arc(x[i], y[i], r, 0, 2 * Math.PI, false);
      return true;
    }, () => rasterCircle(sharedRadius(radius, size)));
  },

  legend(ctx, g, { x0, y0, x1, y1 }) {
    const r = 0.2 * Math.min(x1 - x0, y1 - y0); // sized to the box, like markers
    drawShapes(ctx, g, [0], (c) => {
      const cx = (x0 + x1) / 2;
      const cy = (y0 + y1) / 2;
      c.moveTo(cx + r, cy);
      c.arc(cx, cy, r, 0, 2 * Math.PI, false);
      return true;
    });
  },
};

/**
 * The one radius (px) of every circle, else NaN.  Screen radii from data
 * units belong to one screen mapping: checked each time, not cached.
 */
function sharedRadius(radius, size) {
  return radius ? uniformValue(radius, false) : uniformValue(size) / 2;
}

/** The shape every circle shares when all have radius r (px), for the raster path. */
function rasterCircle(r) {
  if (!(r >= 0)) return null; // radii differ (NaN)
  return {
    key: `Circle ${r}`,
    extent: r,
    trace(c, cx, cy) {
      c.moveTo(cx + r, cy);
      c.arc(cx, cy, r, 0, 2 * Math.PI, false);
    },
  };
}
