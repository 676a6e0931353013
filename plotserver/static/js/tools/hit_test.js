// hit_test.js - which items of a glyph renderer lie under the cursor, on a
// line through it, or inside a box or polygon drawn on the screen.
//
// Tests run against what was last drawn: the renderer's evaluated glyph `g`
// (data columns) and the scales it was mapped with (g.xscale, g.yscale).
// Hover asks on every mouse move, so its candidates come from a spatial
// index over the data (core/spatial.js), built once per data change and
// queried with the cursor's neighbourhood turned back into data; the exact
// test is then made in screen pixels.  Box and polygon selections touch
// every item once, which a single pass over the screen coordinates does
// faster than any index could be built.
//
// A result is {rows, flag}: rows are data rows (BokehJS's '1d' indices);
// flag is set when a whole Line or Patch is hit ('0d').

import { SpatialIndex } from '../core/spatial.js';

const TOLERANCE = 3; // px around thin things (lines, text anchors)

/** How a glyph type is hit, by the geometry its items have. */
const KIND = {
  Circle: 'point', Text: 'point', Wedge: 'point', AnnularWedge: 'point', Annulus: 'point', Arc: 'point',
  Ray: 'point', Rect: 'box', Oval: 'box', Quad: 'box', Image: 'box', ImageRGBA: 'box', ImageURL: 'box',
  Line: 'line', Segment: 'segments', MultiLine: 'multiline', Patch: 'patch', Patches: 'patches',
};
const MARKER_TYPES = new Set(['Asterisk', 'CircleCross', 'CircleX', 'Cross', 'Diamond', 'DiamondCross',
  'InvertedTriangle', 'Square', 'SquareCross', 'SquareX', 'Triangle', 'X']);

function kindOf(type) {
  return MARKER_TYPES.has(type) ? 'point' : (KIND[type] || null);
}

/** True when the renderer can be hit at all (drawn, and of a hittable kind). */
export function hittable(view) {
  const g = view.glyph();
  return Boolean(g && g.n && g.xscale && kindOf(view.glyphModel.type));
}

// ---------------------------------------------------------------- geometry per item

/** Screen radius (px) of a point-like item. */
function radiusAt(g, i) {
  if (g.sd.radius) return g.sd.radius[i];
  if (g.sd.outer_radius) return g.sd.outer_radius[i];
  if (g.num.size) return g.num.size[i] / 2;
  return TOLERANCE; // text anchors, rays' origins
}

function maxOf(values, fallback) {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  return Number.isFinite(max) ? max : fallback;
}

/** Largest screen radius of any item (bounds the index query around the cursor). */
function largestRadius(g) {
  if (g.largestRadius === undefined || g.largestRadiusKey !== g.sd) {
    let r = TOLERANCE;
    if (g.sd.radius) r = maxOf(g.sd.radius, r);
    else if (g.sd.outer_radius) r = maxOf(g.sd.outer_radius, r);
    else if (g.num.size) r = Math.max(r, maxOf(g.num.size, 0) / 2);
    g.largestRadius = r;
    g.largestRadiusKey = g.sd; // screen distances are rebuilt with every new mapping
  }
  return g.largestRadius;
}

/** Screen box {x0, x1, y0, y1} of item i of a box-like glyph. */
function screenBox(g, type, i) {
  const { xscale, yscale } = g;
  let x0; let x1; let y0; let y1;
  if (type === 'Quad') {
    x0 = xscale.map(g.data.left[i]); x1 = xscale.map(g.data.right[i]);
    y0 = yscale.map(g.data.top[i]); y1 = yscale.map(g.data.bottom[i]);
  } else if (type === 'Rect' || type === 'Oval') {
    const cx = g.s.x[i]; const cy = g.s.y[i];
    const hw = g.sd.width[i] / 2; const hh = g.sd.height[i] / 2;
    x0 = cx - hw; x1 = cx + hw; y0 = cy - hh; y1 = cy + hh;
  } else { // images: anchored at their bottom left (x, y), dw/dh (w/h) wide and high
    const w = (g.sd.dw || g.sd.w)[i]; const h = (g.sd.dh || g.sd.h)[i];
    x0 = g.s.x[i]; y0 = g.s.y[i];
    x1 = x0 + w; y1 = type === 'ImageURL' ? y0 + h : y0 - h;
  }
  return { x0: Math.min(x0, x1), x1: Math.max(x0, x1), y0: Math.min(y0, y1), y1: Math.max(y0, y1) };
}

/** The data box around screen point (sx, sy) +- r px (scales may be flipped or log). */
function dataBox(g, sx, sy, r) {
  const a = g.xscale.invert(sx - r); const b = g.xscale.invert(sx + r);
  const c = g.yscale.invert(sy - r); const d = g.yscale.invert(sy + r);
  return [Math.min(a, b), Math.max(a, b), Math.min(c, d), Math.max(c, d)];
}

// ---------------------------------------------------------------- spatial index

/** The index of item extents in data coordinates, built once per evaluated glyph. */
function indexOf(g, type) {
  if (g.spatial) return g.spatial;
  const kind = kindOf(type);
  if (kind === 'point') {
    g.spatial = new SpatialIndex(g.data.x, g.data.x, g.data.y, g.data.y);
  } else if (type === 'Quad') {
    const { left, right, top, bottom } = g.data;
    g.spatial = new SpatialIndex(minPair(left, right), maxPair(left, right), minPair(top, bottom), maxPair(top, bottom));
  } else {
    // Rects, ovals and images have sizes that may be in screen units: index
    // their anchors, and widen the query by the largest item instead.
    g.spatial = new SpatialIndex(g.data.x, g.data.x, g.data.y, g.data.y);
  }
  return g.spatial;
}

const minPair = (a, b) => Float64Array.from(a, (v, i) => Math.min(v, b[i]));
const maxPair = (a, b) => Float64Array.from(a, (v, i) => Math.max(v, b[i]));

/** Build the index ahead of the first hover (called when the page is idle). */
export function prepareIndex(view) {
  if (!hittable(view)) return;
  const g = view.glyph();
  const kind = kindOf(view.glyphModel.type);
  if (kind === 'point' || kind === 'box') indexOf(g, view.glyphModel.type);
}

// ---------------------------------------------------------------- point hits (hover, tap)

/** Items under screen point (sx, sy). */
export function hitPoint(view, sx, sy) {
  const g = view.glyph();
  const type = view.glyphModel.type;
  switch (kindOf(type)) {
    case 'point': {
      const r = largestRadius(g);
      const [x0, x1, y0, y1] = dataBox(g, sx, sy, r);
      const rows = [];
      for (const i of indexOf(g, type).search(x0, x1, y0, y1)) {
        const dx = g.s.x[i] - sx; const dy = g.s.y[i] - sy;
        const ri = radiusAt(g, i);
        if (dx * dx + dy * dy <= ri * ri) rows.push(i);
      }
      return { rows: rows.sort((a, b) => a - b), flag: false };
    }
    case 'box': {
      const rows = [];
      const candidates = type === 'Quad'
        ? indexOf(g, type).search(...dataBox(g, sx, sy, 0))
        : indexOf(g, type).search(...dataBox(g, sx, sy, largestBoxExtent(g)));
      for (const i of candidates) {
        const box = screenBox(g, type, i);
        if (sx >= box.x0 && sx <= box.x1 && sy >= box.y0 && sy <= box.y1) rows.push(i);
      }
      return { rows: rows.sort((a, b) => a - b), flag: false };
    }
    case 'line': {
      const hit = nearestSegment(g, sx, sy);
      return hit ? { rows: [hit.i], flag: true, segment: hit } : { rows: [], flag: false };
    }
    case 'segments': {
      const rows = [];
      for (let i = 0; i < g.n; i++) {
        if (distanceToSegment(sx, sy, g.s.x0[i], g.s.y0[i], g.s.x1[i], g.s.y1[i]) <= TOLERANCE) rows.push(i);
      }
      return { rows, flag: false };
    }
    case 'multiline': {
      const rows = [];
      for (let i = 0; i < g.n; i++) {
        const xs = g.s.xs[i]; const ys = g.s.ys[i];
        for (let j = 1; j < Math.min(xs.length, ys.length); j++) {
          if (distanceToSegment(sx, sy, xs[j - 1], ys[j - 1], xs[j], ys[j]) <= TOLERANCE) {
            rows.push(i);
            break;
          }
        }
      }
      return { rows, flag: false };
    }
    case 'patch':
      return insidePolygon(sx, sy, g.s.x, g.s.y) ? { rows: [], flag: true } : { rows: [], flag: false };
    case 'patches': {
      const rows = [];
      for (let i = 0; i < g.n; i++) if (insidePolygon(sx, sy, g.s.xs[i], g.s.ys[i])) rows.push(i);
      return { rows, flag: false };
    }
    default:
      return { rows: [], flag: false };
  }
}

function largestBoxExtent(g) {
  let r = 0;
  for (const name of ['width', 'height', 'dw', 'dh', 'w', 'h']) if (g.sd[name]) r = Math.max(r, maxOf(g.sd[name], 0));
  return r;
}

/**
 * The line segment nearest to (sx, sy) within the tolerance (plus half the
 * line width): {i, j, t} for the segment from row i to row j = i + 1, t the
 * position along it (0 at i).  Candidates come from the x interval around
 * the cursor when the line is sorted in x (time series), else from all rows.
 */
function nearestSegment(g, sx, sy) {
  const x = g.data.x; const y = g.data.y;
  const n = Math.min(x.length, y.length);
  if (n < 2) return null;
  const width = Number(g.visuals.line.value('width', 0)) || 1;
  const tol = TOLERANCE + width / 2;
  if (g.xSorted === undefined) g.xSorted = isSorted(x, n);
  let from = 0;
  let to = n - 1;
  if (g.xSorted && g.xscale.linear) {
    const a = g.xscale.invert(sx - tol); const b = g.xscale.invert(sx + tol);
    from = Math.max(0, lowerBound(x, n, Math.min(a, b)) - 1);
    to = Math.min(n - 1, lowerBound(x, n, Math.max(a, b)));
  }
  const { xscale, yscale } = g;
  let best = -1;
  let bestT = 0;
  let bestD2 = tol * tol; // squared distances: no square root per segment
  let px = xscale.map(x[from]); let py = yscale.map(y[from]);
  for (let i = from; i < to; i++) {
    const qx = xscale.map(x[i + 1]); const qy = yscale.map(y[i + 1]);
    const t = projection(sx, sy, px, py, qx, qy);
    const dx = px + t * (qx - px) - sx;
    const dy = py + t * (qy - py) - sy;
    const d2 = dx * dx + dy * dy;
    if (d2 <= bestD2) {
      best = i;
      bestT = t;
      bestD2 = d2;
    }
    px = qx; py = qy;
  }
  return best < 0 ? null : { i: best, j: best + 1, t: bestT, d: Math.sqrt(bestD2) };
}

function isSorted(x, n) {
  for (let i = 1; i < n; i++) if (!(x[i] >= x[i - 1])) return false;
  return true;
}

/** First index whose value is >= v in sorted x[0..n). */
function lowerBound(x, n, v) {
  let lo = 0; let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] < v) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function projection(sx, sy, ax, ay, bx, by) {
  const dx = bx - ax; const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  if (!(length2 > 0)) return 0;
  return Math.max(0, Math.min(1, ((sx - ax) * dx + (sy - ay) * dy) / length2));
}

function distanceToSegment(sx, sy, ax, ay, bx, by) {
  const t = projection(sx, sy, ax, ay, bx, by);
  return Math.hypot(ax + t * (bx - ax) - sx, ay + t * (by - ay) - sy);
}

/** Even-odd point in polygon (the vertices' own order, closing edge included). */
export function insidePolygon(px, py, xs, ys) {
  let inside = false;
  const n = Math.min(xs.length, ys.length);
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const yi = ys[i]; const yj = ys[j];
    if ((yi > py) !== (yj > py) && px < ((xs[j] - xs[i]) * (py - yi)) / (yj - yi) + xs[i]) inside = !inside;
  }
  return inside;
}

// ---------------------------------------------------------------- spans (hover hline/vline)

/** Items whose anchor lies within the tolerance of the vertical (dim 'x') or horizontal line. */
export function hitSpan(view, dim, s) {
  const g = view.glyph();
  const kind = kindOf(view.glyphModel.type);
  if (kind !== 'point' && kind !== 'box') return { rows: [], flag: false };
  const coordinate = dim === 'x' ? g.s.x : g.s.y;
  const rows = [];
  for (let i = 0; i < g.n; i++) if (Math.abs(coordinate[i] - s) <= Math.max(TOLERANCE, radiusAt(g, i))) rows.push(i);
  return { rows, flag: false };
}

// ---------------------------------------------------------------- areas (box, lasso, poly select)

/** Anchor coordinates (screen) of the items of a selectable glyph, or null. */
function anchors(g, type) {
  const kind = kindOf(type);
  if (kind === 'point' || (kind === 'box' && type !== 'Quad')) return { x: g.s.x, y: g.s.y };
  if (type === 'Quad') {
    if (!g.quadCenters || g.quadCenters.key !== g.xscale) {
      const x = new Float64Array(g.n); const y = new Float64Array(g.n);
      for (let i = 0; i < g.n; i++) {
        x[i] = g.xscale.map((g.data.left[i] + g.data.right[i]) / 2);
        y[i] = g.yscale.map((g.data.top[i] + g.data.bottom[i]) / 2);
      }
      g.quadCenters = { key: g.xscale, x, y };
    }
    return g.quadCenters;
  }
  return null;
}

/** Rows whose anchor lies in the screen box [x0, x1] x [y0, y1]. */
export function hitRect(view, x0, x1, y0, y1) {
  const g = view.glyph();
  const points = anchors(g, view.glyphModel.type);
  if (!points) return { rows: [], flag: false };
  const { x, y } = points;
  // Into a typed array (a box may hold a million rows), without a branch
  // per row: on scattered data the branch is a coin toss the CPU guesses
  // wrong half the time, which made this loop twice as slow.
  const rows = new Uint32Array(g.n);
  let count = 0;
  for (let i = 0; i < g.n; i++) {
    const px = x[i]; const py = y[i];
    rows[count] = i;
    count += (px >= x0) & (px <= x1) & (py >= y0) & (py <= y1);
  }
  return { rows: rows.subarray(0, count), flag: false };
}

/** Rows whose anchor lies inside the screen polygon (xs, ys). */
export function hitPolygon(view, xs, ys) {
  const g = view.glyph();
  const points = anchors(g, view.glyphModel.type);
  if (!points || xs.length < 3) return { rows: [], flag: false };
  const x0 = Math.min(...xs); const x1 = Math.max(...xs); // a lasso has hundreds of vertices, not more
  const y0 = Math.min(...ys); const y1 = Math.max(...ys);
  const { x, y } = points;
  const rows = new Uint32Array(g.n);
  let count = 0;
  for (let i = 0; i < g.n; i++) {
    const px = x[i]; const py = y[i];
    if (px >= x0 && px <= x1 && py >= y0 && py <= y1 && insidePolygon(px, py, xs, ys)) rows[count++] = i;
  }
  return { rows: rows.subarray(0, count), flag: false };
}
