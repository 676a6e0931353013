// text.js - Text: text[i] at (x + x_offset px, y + y_offset px), rotated by
// angle, with the text properties of item i.

import { rawAt } from '../core/dataspec.js';
import { finite } from './common.js';

export default {
  xs: ['x'],
  ys: ['y'],
  angles: { angle: 0 },
  numbers: { x_offset: 0, y_offset: 0 },
  raw: { text: undefined },
  visuals: ['text'],
  pairs: [['x', 'y']],

  draw(ctx, g, indices) {
    const visual = g.visuals.text;
    if (!visual.doit) return;
    const { x, y } = g.s;
    const { angle } = g.angles;
    const { x_offset: dx, y_offset: dy } = g.num;
    for (const i of indices) {
      const text = rawAt(g.raw.text, i);
      if (text === null || text === undefined || !visual.visibleAt(i)) continue;
      const px = x[i] + dx[i];
      const py = y[i] + dy[i];
      if (!finite(px, py, angle[i])) continue;
      visual.set(ctx, i);
      if (angle[i]) {
        ctx.save();
        ctx.translate(px, py);
        ctx.rotate(angle[i]);
        ctx.fillText(String(text), 0, 0);
        ctx.restore();
      } else {
        ctx.fillText(String(text), px, py);
      }
    }
  },

  legend(ctx, g, { x0, y0, x1, y1 }) {
    // A short sample of the glyph's own text style.
    const visual = g.visuals.text;
    if (!visual.doit) return;
    visual.set(ctx, 0);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('text', (x0 + x1) / 2, (y0 + y1) / 2);
  },
};
