// image_url.js - ImageURL: an image the browser loads from url[i], placed at
// (x, y) by `anchor`, scaled to w x h (natural size when unset), rotated by
// angle, drawn with global_alpha.  The plot redraws when an image arrives.

import { rawAt } from '../core/dataspec.js';
import { finite } from './common.js';

// One <img> per URL for the page's lifetime (a URL's picture rarely changes,
// and the browser's own cache would fetch it again anyway).
const images = new Map();

/**
 * The image at `url`, loaded once.  Asked for with CORS first, so that the
 * canvas stays readable (getImageData, saving a PNG); a server that does not
 * allow that still gets its picture shown, loaded plainly (the canvas is then
 * "tainted": its pixels can no longer be read by scripts).
 */
function image(url, onLoad) {
  let entry = images.get(url);
  if (!entry) {
    entry = { img: new Image(), loaded: false, failed: false, waiting: new Set() };
    const loadedAs = (img) => {
      entry.img = img;
      entry.loaded = true;
      for (const callback of entry.waiting) callback();
      entry.waiting.clear();
    };
    entry.img.crossOrigin = 'anonymous';
    entry.img.onload = () => loadedAs(entry.img);
    entry.img.onerror = () => {
      const plain = new Image();
      plain.onload = () => loadedAs(plain);
      plain.onerror = () => {
        entry.failed = true;
        entry.waiting.clear();
      };
      plain.src = url;
    };
    entry.img.src = url;
    images.set(url, entry);
  }
  if (!entry.loaded && !entry.failed && onLoad) entry.waiting.add(onLoad);
  return entry;
}

// Where (x, y) sits on the image, as fractions of its width and height.
const ANCHORS = {
  top_left: [0, 0], top_center: [0.5, 0], top_right: [1, 0],
  center_left: [0, 0.5], center: [0.5, 0.5], center_right: [1, 0.5],
  bottom_left: [0, 1], bottom_center: [0.5, 1], bottom_right: [1, 1],
};

export default {
  xs: ['x'],
  ys: ['y'],
  distances: { w: { dim: 'x', centered: false }, h: { dim: 'y', centered: false } },
  angles: { angle: 0 },
  raw: { url: undefined },
  visuals: [],
  pairs: [['x', 'y']],

  draw(ctx, g, indices) {
    const { x, y } = g.s;
    const { angle } = g.angles;
    const [ax, ay] = ANCHORS[g.attrs.anchor] || ANCHORS.top_left;
    const alpha = typeof g.attrs.global_alpha === 'number' ? g.attrs.global_alpha : 1;
    for (const i of indices) {
      const url = rawAt(g.raw.url, i);
      if (typeof url !== 'string' || !finite(x[i], y[i])) continue;
      const entry = image(url, g.requestRedraw);
      if (!entry.loaded) continue;
      const w = Number.isFinite(g.sd.w[i]) ? g.sd.w[i] : entry.img.naturalWidth;
      const h = Number.isFinite(g.sd.h[i]) ? g.sd.h[i] : entry.img.naturalHeight;
      ctx.save();
      ctx.globalAlpha = alpha;
      ctx.translate(x[i], y[i]);
      if (angle[i]) ctx.rotate(angle[i]);
      ctx.drawImage(entry.img, -ax * w, -ay * h, w, h);
      ctx.restore();
    }
  },

  legend() {},
};
