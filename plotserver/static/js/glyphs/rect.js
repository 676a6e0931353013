// rect.js - Rect: a width x height rectangle centred on (x, y), rotated by
// angle.  Data-unit sizes are measured symmetrically around the centre;
// `dilate` rounds pixel sizes up so adjacent rects leave no gaps.

import { drawShapes, finite, legendBox } from './common.js';

/** Add a w x h rectangle centred on (x, y), rotated by `angle`, to the path. */
export function traceRotatedRect(ctx, x, y, w, h, angle) {
  if (!angle) {
    ctx.rect(x - w / 2, y - h / 2, w, h);
    return;
  }
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const corners = [[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]];
  corners.forEach(([px, py], k) => {
    const cx = x + c * px - s * py;
    const cy = y + s * px + c * py;
    if (k === 0) ctx.moveTo(cx, cy);
    else ctx.lineTo(cx, cy);
  });
  ctx.closePath();
}

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
    const dilate = g.attrs.dilate === true;
    drawShapes(ctx, g, indices, (c, i) => {
      let w = width[i];
      let h = height[i];
      if (!finite(x[i], y[i], w, h, angle[i])) return false;
      if (dilate) {
        w = Math.ceil(w);
        h = Math.ceil(h);
      }
      traceRotatedRect(c, x[i], y[i], w, h, angle[i]);
      return true;
    });
  },

  legend: legendBox,
};
