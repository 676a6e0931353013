// index.js - glyph type name -> glyph module (each file says how that glyph
// is drawn), loaded the first time a document shows that glyph.
//
// Why lazily: a page that draws a line need not fetch twenty glyph modules
// first.  Each module a page loads before its first paint cost ~2.5 ms of
// that paint here (measured: the streaming demo's first paint went from
// 296-336 ms to 249-283 ms without the unused ones).  The page asks for the
// glyphs a document holds (loadGlyphs) before it builds views for it, and
// the views look them up in GLYPHS, which holds only what has loaded.

const marker = (name) => () => import('./markers.js').then((module) => ({ default: module.MARKERS[name] }));

// Kept in step with markers.js's shapes (a node test compares the two).
export const MARKER_NAMES = [
  'Asterisk', 'CircleCross', 'CircleX', 'Cross', 'Diamond', 'DiamondCross',
  'InvertedTriangle', 'Square', 'SquareCross', 'SquareX', 'Triangle', 'X',
];

const LOADERS = {
  AnnularWedge: () => import('./annular_wedge.js'),
  Annulus: () => import('./annulus.js'),
  Arc: () => import('./arc.js'),
  Bezier: () => import('./bezier.js'),
  Circle: () => import('./circle.js'),
  Image: () => import('./image.js'),
  ImageRGBA: () => import('./image_rgba.js'),
  ImageURL: () => import('./image_url.js'),
  Line: () => import('./line.js'),
  MultiLine: () => import('./multi_line.js'),
  Oval: () => import('./oval.js'),
  Patch: () => import('./patch.js'),
  Patches: () => import('./patches.js'),
  Quad: () => import('./quad.js'),
  Quadratic: () => import('./quadratic.js'),
  Ray: () => import('./ray.js'),
  Rect: () => import('./rect.js'),
  Segment: () => import('./segment.js'),
  Text: () => import('./text.js'),
  Wedge: () => import('./wedge.js'),
  ...Object.fromEntries(MARKER_NAMES.map((name) => [name, marker(name)])),
};

/** The glyph types there is a drawing for. */
export const GLYPH_TYPES = Object.freeze(Object.keys(LOADERS));

/** Type name -> glyph implementation, for every glyph loaded so far. */
export const GLYPHS = {};

const loading = new Map(); // type name -> promise of its load, while it loads
const failed = new Set(); // type names whose module could not be loaded

/** Of `typeNames`, the glyph types not loaded yet and not given up on (each once). */
export function missingGlyphs(typeNames) {
  const missing = new Set();
  for (const name of typeNames) {
    if (Object.hasOwn(LOADERS, name) && !Object.hasOwn(GLYPHS, name) && !failed.has(name)) {
      missing.add(name);
    }
  }
  return [...missing];
}

/**
 * Load the modules of glyph types `typeNames`; resolves once each has loaded
 * or failed (a failed one stays missing: its renderers draw nothing and say
 * so, as for a type without a drawing).  Never rejects.
 */
export function loadGlyphs(typeNames) {
  return Promise.all(missingGlyphs(typeNames).map((name) => {
    let promise = loading.get(name);
    if (!promise) {
      promise = LOADERS[name]().then((module) => {
        GLYPHS[name] = module.default;
      }, (error) => {
        failed.add(name);
        console.warn(`plotserver: could not load the drawing of ${name}:`, error);
      }).finally(() => loading.delete(name));
      loading.set(name, promise);
    }
    return promise;
  })).then(() => undefined);
}
