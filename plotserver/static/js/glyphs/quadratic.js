// quadratic.js - Quadratic: a quadratic curve from (x0, y0) to (x1, y1)
// with control point (cx, cy), stroke only; bounds are the curve's extent.

import { strokeShapes, finite, legendLine } from './common.js';

/** [min, max] of a quadratic Bezier along one axis. */
export function quadraticExtent(p0, c, p1) {
  const values = [p0, p1];
  const denominator = p0 - 2 * c + p1;
  if (denominator !== 0) {
    const t = (p0 - c) / denominator;
    if (t > 0 && t < 1) values.push((1 - t) * (1 - t) * p0 + 2 * (1 - t) * t * c + t * t * p1);
  }
  return [Math.min(...values), Math.max(...values)];
}

export default {
  xs: ['x0', 'x1', 'cx'],
  ys: ['y0', 'y1', 'cy'],
  visuals: ['line'],

  bounds(g) {
    const { x0, y0, x1, y1, cx, cy } = g.data;
    let minX = Infinity; let maxX = -Infinity; let minY = Infinity; let maxY = -Infinity;
    for (let i = 0; i < g.n; i++) {
      if (!finite(x0[i], y0[i], x1[i], y1[i], cx[i], cy[i])) continue;
      const [ax, bx] = quadraticExtent(x0[i], cx[i], x1[i]);
      const [ay, by] = quadraticExtent(y0[i], cy[i], y1[i]);
      minX = Math.min(minX, ax); maxX = Math.max(maxX, bx);
      minY = Math.min(minY, ay); maxY = Math.max(maxY, by);
    }
    return { minX, maxX, minY, maxY };
  },

  draw(ctx, g, indices) {
    const { x0, y0, x1, y1, cx, cy } = g.s;
    strokeShapes(ctx, g, indices, (c, i) => {
      if (!finite(x0[i], y0[i], x1[i], y1[i], cx[i], cy[i])) return false;
      c.moveTo(x0[i], y0[i]);
      c.quadraticCurveTo(cx[i], cy[i], x1[i], y1[i]);
      return true;
    });
  },

  legend: legendLine,
};
