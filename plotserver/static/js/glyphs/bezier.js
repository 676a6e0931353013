// bezier.js - Bezier: a cubic curve from (x0, y0) to (x1, y1) with control
// points (cx0, cy0) and (cx1, cy1), stroke only.  Its data bounds are the
// curve's own extent (not the control points').

import { strokeShapes, finite, legendLine } from './common.js';

/** [min, max] of a cubic Bezier along one axis. */
export function cubicExtent(p0, c0, c1, p1) {
  const at = (t) => {
    const u = 1 - t;
    return u * u * u * p0 + 3 * u * u * t * c0 + 3 * u * t * t * c1 + t * t * t * p1;
  };
  // Extremes lie at the ends or where the derivative a t^2 + b t + c is 0.
  const a = 3 * (-p0 + 3 * c0 - 3 * c1 + p1);
  const b = 6 * (p0 - 2 * c0 + c1);
  const c = 3 * (c0 - p0);
  const ts = [];
  if (Math.abs(a) < 1e-12) {
    if (Math.abs(b) > 1e-12) ts.push(-c / b);
  } else {
    const disc = b * b - 4 * a * c;
    if (disc >= 0) {
      const root = Math.sqrt(disc);
      ts.push((-b + root) / (2 * a), (-b - root) / (2 * a));
    }
  }
  const values = [p0, p1, ...ts.filter((t) => t > 0 && t < 1).map(at)];
  return [Math.min(...values), Math.max(...values)];
}

function curveBounds(g) {
  const { x0, y0, x1, y1, cx0, cy0, cx1, cy1 } = g.data;
  let minX = Infinity; let maxX = -Infinity; let minY = Infinity; let maxY = -Infinity;
  for (let i = 0; i < g.n; i++) {
    if (!finite(x0[i], y0[i], x1[i], y1[i], cx0[i], cy0[i], cx1[i], cy1[i])) continue;
    const [ax, bx] = cubicExtent(x0[i], cx0[i], cx1[i], x1[i]);
    const [ay, by] = cubicExtent(y0[i], cy0[i], cy1[i], y1[i]);
    minX = Math.min(minX, ax); maxX = Math.max(maxX, bx);
    minY = Math.min(minY, ay); maxY = Math.max(maxY, by);
  }
  return { minX, maxX, minY, maxY };
}

export default {
  xs: ['x0', 'x1', 'cx0', 'cx1'],
  ys: ['y0', 'y1', 'cy0', 'cy1'],
  visuals: ['line'],
  bounds: curveBounds,

  draw(ctx, g, indices) {
    const { x0, y0, x1, y1, cx0, cy0, cx1, cy1 } = g.s;
    strokeShapes(ctx, g, indices, (c, i) => {
      if (!finite(x0[i], y0[i], x1[i], y1[i], cx0[i], cy0[i], cx1[i], cy1[i])) return false;
      c.moveTo(x0[i], y0[i]);
      c.bezierCurveTo(cx0[i], cy0[i], cx1[i], cy1[i], x1[i], y1[i]);
      return true;
    });
  },

  legend: legendLine,
};
