// raster.js - many markers of one shape and one style drawn as a raster.
//
// Why: one canvas path of a million arcs takes seconds to fill, and a
// scatter of 10^5..10^6 markers must pan at frame rate.  When every marker of
// a group looks the same (one shape, size, angle, fill and line style), the
// group's picture is one shape stamped at many places, which can be computed
// per device pixel in time that follows the number of pixels rather than of
// markers.  The picture reproduced is the vector path's for large groups:
// the union of all fills painted once, then all outlines over it, as one
// union too, except for lines at most one device pixel wide, which Skia
// paints as hairlines, stroke over stroke (strokesAccumulate).  A dashed
// outline's pattern restarts with every marker there as here.
//
//   bin        every centre is snapped to the device-pixel grid with 2 x 2
//              sub-pixel phases (error <= 1/4 device px); an occupancy image
//              keeps per pixel a 4-bit mask of the phases present, so any
//              number of markers at one place cost one stamp.
//   sprites    the canvas itself draws the marker once per phase mask (the
//              union of the mask's phases in one path, fill only and stroke
//              only, in white) and its alpha is read back: exact
//              antialiased coverage for every shape, angle and line style,
//              with no shape code here.
//   stamp      each occupied pixel adds its mask's sprite into a coverage
//              image: coverages of different pixels' markers combine as
//              1 - prod(1 - c) (close to the union; what hairlines do, but
//              markers at one pixel and phase count once), kept as a sum
//              of -ln(1 - c) in fixed point, with fill and stroke in two
//              16-bit lanes of one Uint32, so one integer add serves both.
//   saturation where the pixels around a pixel are occupied densely enough,
//              it is full whatever the phases (bound in saturationTest), so
//              it is painted full without stamps, and a marker whose whole
//              footprint is such pixels is not stamped: a dense cloud costs
//              a few operations per pixel, and only its fringe is stamped.
//   composite  fill colour x alpha x coverage, then the line's over it
//              (source-over, as the vector path paints them), through a
//              64K-entry table into an ImageData, drawn onto the layer with
//              drawImage so the layer's clip and compositing still apply.
//
// The pure steps are exported for tests/js/raster.test.mjs; the canvas work
// (sprites, the final drawImage) is in drawMarkerRaster at the end.

import { parseColor } from './color.js';

/**
 * Groups of at least this many markers are drawn as a raster (when their
 * shape and style are uniform): 2001, the first count that the vector path
 * draws as one union (glyphs/common.js PER_ITEM_LIMIT; below it every item
 * is painted on its own and translucent overlaps darken, a different
 * picture, so the raster never goes lower).  Measured in headless Chromium
 * on the reference 2-core machine (benchmarks/raster_markers_bench.py,
 * 600x400 frame, size 4, median ms raster / vector): 2,001 circles 2.0 /
 * 6.7, 5,000 circles 2.7 / 18, 2,001 squares 1.9 / 39, 2,001 circles at
 * ratio 2 6.0 / 25: the raster is faster from the first union count on.
 * The picture: each marker is the canvas's own antialiased sprite placed
 * within 1/4 device pixel, which a person cannot tell from the vector one
 * (tests/browser/test_raster_markers.py compares them, sparse ones too).
 * A module export so that tests can force either path: rasterOptions.minItems.
 */
export const RASTER_MIN_ITEMS = 2001;
export const rasterOptions = { minItems: RASTER_MIN_ITEMS };
/** How many groups were drawn as a raster (for tests and the console). */
export const rasterStats = { groups: 0 };

const MASKS = 16; // 2 x 2 phases: bit (px | py << 1)
const LANE = 16; // stroke coverage sits in the upper 16 bits of a Uint32

/** Where phase p (0 or 1) puts a centre inside its pixel (device px). */
export function phaseOffset(p) {
  return 0.25 + 0.5 * p;
}

// ---------------------------------------------------------------- stamps

// How coverages of different pixels' markers combine: as 1 - prod(1 - c),
// the union's coverage when edges fall independently (a clamped sum
// over-inks where outlines cross, by ~14 levels on average in a sparse
// scatter of size-4 circles; the largest one under-inks by ~24; this is
// within ~1 level of the exact union, measured against 8 x 8 supersampled
// unions).  It is accumulated as a sum of -ln(1 - c) in fixed point
// ("density"), so one integer add per stamp cell still serves both channels.
// Coverage from 98 % up counts as full (at most 2 % too much ink on those
// pixels): without that, partly covering neighbours would never make a pixel
// full, and dense clouds could hardly be proven full (see saturationTest).
const LN_FULL = -Math.log(1 - 0.98); // density of a full pixel

/**
 * The fixed-point scale for a footprint of `cells` pixels: as fine as 256
 * steps per unit of density, but coarse enough that no pixel's sum can pass
 * 16 bits (at most `cells` markers reach a pixel, each adding at most full).
 */
function densityScale(cells) {
  let scale = 256;
  while (scale > 1 && cells * Math.ceil(scale * LN_FULL) > 0xffff) scale -= 1;
  return scale;
}

/**
 * Coverage <-> density for one scale: toDensity[c] for c in 0..255 (at most
 * full), and toCoverage[d] for d in 0..full (sums are clamped at full).
 */
function densityTables(scale) {
  const full = Math.ceil(scale * LN_FULL);
  const toDensity = new Uint16Array(256);
  for (let c = 1; c < 255; c++) toDensity[c] = Math.min(full, Math.round(-scale * Math.log(1 - c / 255)));
  toDensity[255] = full;
  const toCoverage = new Uint8Array(full + 1);
  for (let d = 0; d < full; d++) toCoverage[d] = Math.round(255 * (1 - Math.exp(-d / scale)));
  toCoverage[full] = 255;
  return { full, toDensity, toCoverage };
}

/**
 * The stamps of the 15 phase masks, from the coverage the canvas drew.
 * fill[m] / stroke[m]: Uint8Array(size * size) alpha of mask m's union drawn
 * with its centre pixel at (centre, centre), or null for a channel not drawn.
 * Returns {radius, masks[m]: {dx, dy, value}, full, toCoverage, fillOn,
 * strokeOn, proof, fillProof}: radius = Chebyshev reach of any covered pixel;
 * value = fill density | stroke density << 16 (see densityTables); proof =
 * how to prove a pixel full (see proofOf), null when some channel never can
 * be; fillProof the same for the fill alone.
 */
export function buildStamps(fill, stroke, size, centre) {
  const covered = (m, k) => (fill ? fill[m][k] : 0) | (stroke ? stroke[m][k] : 0);
  let radius = 0;
  for (let m = 1; m < MASKS; m++) {
    for (let k = 0; k < size * size; k++) {
      if (!covered(m, k)) continue;
      radius = Math.max(radius, Math.abs((k % size) - centre), Math.abs(Math.floor(k / size) - centre));
    }
  }
  const { full, toDensity, toCoverage } = densityTables(densityScale((2 * radius + 1) ** 2));
  const density = (alphas, m, k) => (alphas ? toDensity[alphas[m][k]] : 0);
  const masks = [null];
  for (let m = 1; m < MASKS; m++) {
    const cells = [];
    for (let k = 0; k < size * size; k++) {
      if (!covered(m, k)) continue;
      const value = density(fill, m, k) | (density(stroke, m, k) << LANE);
      cells.push([(k % size) - centre, Math.floor(k / size) - centre, value]);
    }
    masks.push({
      dx: Int32Array.from(cells, (c) => c[0]),
      dy: Int32Array.from(cells, (c) => c[1]),
      value: Uint32Array.from(cells, (c) => c[2]),
      ...rowSpans(cells),
    });
  }
  const fillOn = Boolean(fill) && hasCoverage(fill);
  const strokeOn = Boolean(stroke) && hasCoverage(stroke);
  const test = (alphas, inners) => saturationTest(alphas, size, centre, radius, inners, toDensity, full);
  const fillTest = fillOn ? test(fill, [-1]) : null;
  const strokeTest = strokeOn ? test(stroke, [-1, fillTest ? fillTest.outer : -1]) : null;
  return {
    radius, masks, full, toCoverage, fillOn, strokeOn, stride: -1,
    proof: (fillOn && !fillTest) || (strokeOn && !strokeTest) ? null : proofOf(fillTest, strokeTest),
    // When a full fill hides the outline (opaque, see compositeTable), the fill's test suffices.
    fillProof: fillTest ? proofOf(fillTest, null) : null,
  };
}

function hasCoverage(alphas) {
  return alphas[MASKS - 1].some((a) => a !== 0);
}

/**
 * A test that proves a pixel q full in one channel: {outer, inner, need} =
 * at least `need` occupied pixels in the box q +- outer minus the box q +-
 * inner (none when inner < 0; inner one of `inners`).  Why it holds:
 * whatever the mask of an occupied pixel p, its sprite gives q at least
 * dmin(q - p), the least density any single phase gives there; so q's sum
 * is at least the region's total of dmin minus what the empty pixels would
 * have given, at worst the largest dmin values; full when that reaches
 * `full`.  Of the regions, the one tolerating the largest share of empty
 * pixels is kept (an outline's ring is empty in the middle, so its best
 * region is a square ring); null when none proves anything (markers smaller
 * than a pixel).
 */
function saturationTest(alphas, size, centre, radius, inners, toDensity, full) {
  const least = (dx, dy) => {
    const k = (centre + dy) * size + centre + dx;
    return toDensity[Math.min(alphas[1][k], alphas[2][k], alphas[4][k], alphas[8][k])];
  };
  let best = null;
  for (let outer = 0; outer <= radius; outer++) {
    for (const inner of inners) {
      if (inner >= outer) continue;
      const values = [];
      for (let dy = -outer; dy <= outer; dy++) {
        for (let dx = -outer; dx <= outer; dx++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) > inner) values.push(least(dx, dy));
        }
      }
      const empty = tolerableHoles(values, full);
      if (empty < 0) continue;
      const share = empty / values.length;
      if (!best || share > best.share) best = { outer, inner, need: values.length - empty, share };
    }
  }
  return best;
}

/** How many of `values` may be missing, the largest first, with >= `full` left (-1: never). */
function tolerableHoles(values, full) {
  values.sort((a, b) => b - a);
  let left = values.reduce((sum, v) => sum + v, 0);
  if (left < full) return -1;
  let empty = 0;
  while (empty < values.length && left - values[empty] >= full) left -= values[empty++];
  return empty;
}

/**
 * Both channels' tests in the one form markFull evaluates per pixel: the
 * near box (q +- near) holds >= nearNeed occupied pixels, and the far box
 * (q +- far), minus the near box when `ring`, >= farNeed.  The outline's
 * inner box is the fill's box or none (saturationTest was told so).
 */
function proofOf(fillTest, strokeTest) {
  if (fillTest && strokeTest) {
    return {
      near: fillTest.outer, nearNeed: fillTest.need, far: strokeTest.outer, farNeed: strokeTest.need,
      ring: strokeTest.inner >= 0,
    };
  }
  const only = fillTest || strokeTest;
  if (only.inner >= 0) return { near: only.inner, nearNeed: 0, far: only.outer, farNeed: only.need, ring: true };
  return { near: only.outer, nearNeed: only.need, far: only.outer, farNeed: 0, ring: false };
}

/**
 * A stamp as one run of pixels per row (zeros fill the gaps, as in a ring's
 * middle): spanValues holds the runs one after another, spanRows (dy, first
 * dx, length) each; stamping then adds along contiguous memory.
 */
function rowSpans(cells) {
  const spanRows = [];
  const spanValues = [];
  for (let j = 0; j < cells.length;) {
    const dy = cells[j][1];
    let end = j;
    while (end < cells.length && cells[end][1] === dy) end += 1;
    const first = cells[j][0];
    const run = new Array(cells[end - 1][0] - first + 1).fill(0);
    for (let t = j; t < end; t++) run[cells[t][0] - first] = cells[t][2];
    spanRows.push(dy, first, run.length);
    spanValues.push(...run);
    j = end;
  }
  return { spanRows, spanValues: Uint32Array.from(spanValues), spanStarts: null };
}

/** Each mask's row starts (offsets) in an image `stride` pixels wide (cached per stride). */
function useStride(stamps, stride) {
  if (stamps.stride === stride) return;
  for (let m = 1; m < MASKS; m++) {
    const mask = stamps.masks[m];
    const rows = mask.spanRows.length / 3;
    // (offset of the run's first pixel, its length) per row.
    mask.spanStarts = new Int32Array(2 * rows);
    for (let r = 0; r < rows; r++) {
      mask.spanStarts[2 * r] = mask.spanRows[3 * r] * stride + mask.spanRows[3 * r + 1];
      mask.spanStarts[2 * r + 1] = mask.spanRows[3 * r + 2];
    }
  }
  stamps.stride = stride;
}

// ---------------------------------------------------------------- the steps

/**
 * Mark the pixel and phase of every centre in `occ` (an image `stride` wide):
 * device position (x * sx + tx, y * sy + ty), kept when its pixel lies in
 * [lo, hiX) x [lo, hiY).  `indices` null means every row 0..n-1 (no
 * indirection in the hot loop).  Non-finite coordinates fail the range test.
 */
export function binCentres(occ, stride, xs, ys, indices, n, sx, tx, sy, ty, lo, hiX, hiY) {
  // In half pixels: the integer part is pixel * 2 + phase.
  const ax = 2 * sx; const bx = 2 * tx; const ay = 2 * sy; const by = 2 * ty;
  const lo2 = 2 * lo; const hx2 = 2 * hiX; const hy2 = 2 * hiY;
  // Without a branch per point: whether a point lands in the buffer is a
  // coin toss the CPU guesses wrong half the time on a zoomed-in cloud,
  // which made this loop take twice as long.  A point outside ORs nothing
  // into cell 0 (its cell and bit are multiplied by 0).
  if (indices === null) {
    for (let i = 0; i < n; i++) {
      const fx = xs[i] * ax + bx;
      const fy = ys[i] * ay + by;
      const inside = (fx >= lo2) & (fx < hx2) & (fy >= lo2) & (fy < hy2);
      const hx = fx | 0;
      const hy = fy | 0;
      occ[((hy >> 1) * stride + (hx >> 1)) * inside] |= inside << ((hx & 1) | ((hy & 1) << 1));
    }
    return;
  }
  for (let j = 0; j < n; j++) {
    const i = indices[j];
    const fx = xs[i] * ax + bx;
    const fy = ys[i] * ay + by;
    const inside = (fx >= lo2) & (fx < hx2) & (fy >= lo2) & (fy < hy2);
    const hx = fx | 0;
    const hy = fy | 0;
    occ[((hy >> 1) * stride + (hx >> 1)) * inside] |= inside << ((hx & 1) | ((hy & 1) << 1));
  }
}

// Summed-area tables are Uint16 and read modulo 2^16: a box difference is
// exact as long as the box holds fewer than 65536 pixels, and half the bytes
// of Int32 make these passes faster.
const WRAP = 0xffff;

/**
 * Summed-area table of occupancy: sat[y * (stride + 1) + x] = number of
 * occupied pixels in [0, x) x [0, y) (mod 2^16), for rows 0..rows.
 */
export function occupancyTable(sat, occ, stride, rows) {
  const w1 = stride + 1;
  sat.fill(0, 0, w1);
  for (let y = 0; y < rows; y++) {
    const src = y * stride;
    const above = y * w1 + 1;
    const here = above + w1;
    sat[here - 1] = 0;
    let run = 0;
    for (let x = 0; x < stride; x++) {
      run += (occ[src + x] + 15) >> 4; // 1 when any phase bit is set (masks <= 15)
      sat[here + x] = sat[above + x] + run;
    }
  }
}

/** Offsets into a summed-area table (stride + 1 wide) of the box q +- reach's corners. */
function boxCorners(stride, reach) {
  const w1 = stride + 1;
  return [(reach + 1) * w1 + reach + 1, (reach + 1) * w1 - reach, -reach * w1 + reach + 1, -reach * w1 - reach];
}

// What markFull writes into the picture for a pixel not proven full: no
// composite-table entry is transparent with colour bits set.
const OPEN = 1;

/**
 * Paint every visible pixel (w x h from (margin, margin) of the images) that
 * `proof` (see proofOf) shows full: out[y * w + x] = `fullColour`; the
 * others get OPEN (the composite fills them in) and are flagged in
 * `openSat`, a summed-area table over the whole image, so that a marker can
 * ask whether its footprint touches one.  Returns how many are open.
 */
export function markFull(out, fullColour, openSat, sat, stride, rows, margin, w, h, proof) {
  const w1 = stride + 1;
  const [a0, b0, c0, d0] = boxCorners(stride, proof.near);
  const [a1, b1, c1, d1] = boxCorners(stride, proof.far);
  const { nearNeed, farNeed } = proof;
  const ring = proof.ring ? -1 : 0; // all bits: subtract the near count
  let open = 0;
  openSat.fill(0, 0, w1 * (margin + 1)); // rows above the visible ones hold no open pixel
  for (let y = margin; y < margin + h; y++) {
    const above = y * w1 + 1;
    const here = above + w1;
    openSat.fill(0, here - 1, here + margin); // nor do the columns left of them
    const outRow = (y - margin) * w;
    let run = 0;
    for (let x = 0; x < w; x++) {
      const q = y * w1 + margin + x;
      const near = (sat[q + a0] - sat[q + b0] - sat[q + c0] + sat[q + d0]) & WRAP;
      const far = (sat[q + a1] - sat[q + b1] - sat[q + c1] + sat[q + d1]) & WRAP;
      if (near >= nearNeed && far - (near & ring) >= farNeed) {
        out[outRow + x] = fullColour;
      } else {
        out[outRow + x] = OPEN;
        run += 1;
      }
      openSat[here + margin + x] = openSat[above + margin + x] + run;
    }
    for (let x = margin + w; x < stride; x++) openSat[here + x] = openSat[above + x] + run;
    open += run;
  }
  // Rows below: each repeats the last visible one.
  const last = (margin + h) * w1;
  for (let y = margin + h + 1; y <= rows; y++) openSat.copyWithin(y * w1, last, last + w1);
  return open;
}

const CHUNK = 32; // pixels of a row whose markers are skipped together when no open pixel is near

/**
 * Add the stamp of every occupied pixel of rows [y0, y1) x columns [x0, x1)
 * into `acc`, clearing `occ` on the way (ready for the next frame).  With
 * `openSat`, markers whose footprint covers no open pixel are skipped (every
 * pixel they would add to is full anyway): first a chunk of a row at a time,
 * then one by one.
 */
export function stampOccupied(acc, occ, stride, x0, x1, y0, y1, stamps, openSat) {
  useStride(stamps, stride);
  const { masks, radius } = stamps;
  const w1 = stride + 1;
  const [a, b, c, d] = boxCorners(stride, radius);
  for (let y = y0; y < y1; y++) {
    const row = y * stride;
    for (let x = x0; x < x1; x += CHUNK) {
      const end = Math.min(x + CHUNK, x1);
      if (openSat !== null && boxCount(openSat, w1, x - radius, end + radius, y - radius, y + radius + 1) === 0) {
        occ.fill(0, row + x, row + end);
        continue;
      }
      for (let k = row + x; k < row + end; k++) {
        const o = occ[k];
        if (o === 0) continue;
        occ[k] = 0;
        if (openSat !== null) {
          const q = k + y; // the same pixel in the table, one column wider per row
          if (((openSat[q + a] - openSat[q + b] - openSat[q + c] + openSat[q + d]) & WRAP) === 0) continue;
        }
        const { spanStarts, spanValues } = masks[o];
        for (let r = 0, v = 0; r < spanStarts.length; r += 2) {
          const start = k + spanStarts[r];
          const end = start + spanStarts[r + 1];
          for (let t = start; t < end; t++) acc[t] += spanValues[v++];
        }
      }
    }
  }
}

/** What a summed-area table (w1 wide, mod 2^16) holds in [xa, xb) x [ya, yb). */
function boxCount(table, w1, xa, xb, ya, yb) {
  return (table[yb * w1 + xb] - table[yb * w1 + xa] - table[ya * w1 + xb] + table[ya * w1 + xa]) & WRAP;
}

/**
 * Turn coverage into colour: out[y * w + x] (packed RGBA) of the w x h
 * visible pixels from the density sums in acc at (margin + x, margin + y):
 * all of them, or with `onlyOpen` those markFull left OPEN.
 */
export function compositeCoverage(out, w, h, acc, stride, margin, table, stamps, onlyOpen) {
  const { full, toCoverage } = stamps;
  for (let y = 0; y < h; y++) {
    const row = (y + margin) * stride + margin;
    const outRow = y * w;
    for (let x = 0; x < w; x++) {
      if (onlyOpen && out[outRow + x] !== OPEN) continue;
      const v = acc[row + x];
      if (v === 0) {
        out[outRow + x] = 0;
        continue;
      }
      const f = v & 0xffff;
      const s = v >>> LANE;
      out[outRow + x] = table[(toCoverage[s > full ? full : s] << 8) | toCoverage[f > full ? full : f]];
    }
  }
}

/**
 * Packed RGBA (ImageData byte order) for every (stroke, fill) coverage pair,
 * index stroke << 8 | fill: the fill painted, then the line over it with
 * source-over.  fillRGBA / lineRGBA: [r, g, b, alpha 0-1] or null.
 */
export function compositeTable(fillRGBA, lineRGBA) {
  const table = new Uint32Array(256 * 256);
  const [fr, fg, fb, fa] = fillRGBA || [0, 0, 0, 0];
  const [lr, lg, lb, la] = lineRGBA || [0, 0, 0, 0];
  for (let s = 0; s < 256; s++) {
    const as = (la * s) / 255;
    for (let f = 0; f < 256; f++) {
      const af = ((fa * f) / 255) * (1 - as);
      const alpha = as + af;
      if (alpha <= 0) continue;
      const a = Math.round(alpha * 255);
      if (a === 0) continue; // transparent stays 0 (so never OPEN)
      const r = Math.round((lr * as + fr * af) / alpha);
      const g = Math.round((lg * as + fg * af) / alpha);
      const b = Math.round((lb * as + fb * af) / alpha);
      table[(s << 8) | f] = ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
    }
  }
  return table;
}

// ---------------------------------------------------------------- one raster

/**
 * Whether proving pixels full pays: it costs a few passes over the pixels,
 * about as much as stamping `cost` footprint cells per pixel, while stamping
 * every marker costs its footprint; sparse scatters stamp everything.
 * Measured in Chromium (size-4 circles, 600x400 frame): with the fill's
 * proof alone it pays from n x cells / pixels ~ 20, with both channels'
 * (weaker: an outline's thin ring proves little) from ~ 45.
 */
const SATURATION_COST = { fill: 20, both: 45 };
function worthSaturating(stamps, proof, n, w, h) {
  const cost = proof.farNeed > 0 ? SATURATION_COST.both : SATURATION_COST.fill;
  return n * stamps.masks[MASKS - 1].value.length > cost * w * h;
}

/**
 * The saturation proof for this style: the fill's alone when a full fill
 * hides the outline (every outline coverage over it gives the same colour,
 * as with the default opaque style of one colour), else both channels'.
 */
function proofFor(stamps, table) {
  if (stamps.fillProof && stamps.strokeOn) {
    let hidden = true;
    for (let s = 1; s < 256 && hidden; s++) hidden = table[(s << 8) | 255] === table[255];
    if (hidden) return stamps.fillProof;
  }
  return stamps.proof;
}

/** Reused between frames: nothing here grows with the number of markers. */
export class RasterBuffers {
  constructor() {
    this.stride = 0;
    this.rows = 0;
    this.occ = new Uint8Array(0);
    this.acc = new Uint32Array(0);
    this.sat = new Uint16Array(0);
    this.openSat = new Uint16Array(0);
    this.out = null; // ImageData of the visible w x h
  }

  /** Images of stride x rows (zeroed when new; kept zero by the steps). */
  size(stride, rows, w, h) {
    if (stride !== this.stride || rows !== this.rows) {
      this.stride = stride;
      this.rows = rows;
      if (this.occ.length < stride * rows) {
        this.occ = new Uint8Array(stride * rows);
        this.acc = new Uint32Array(stride * rows);
      } else {
        // A new stride scrambles what a previous frame might have left.
        this.occ.fill(0);
        this.acc.fill(0);
      }
      if (this.sat.length < (stride + 1) * (rows + 1)) {
        this.sat = new Uint16Array((stride + 1) * (rows + 1));
        this.openSat = new Uint16Array((stride + 1) * (rows + 1));
      }
    }
    if (!this.out || this.out.width !== w || this.out.height !== h) {
      this.out = typeof ImageData === 'undefined'
        ? { width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }
        : new ImageData(w, h);
      this.out32 = new Uint32Array(this.out.data.buffer);
    }
  }
}

/**
 * Rasterize markers at (xs, ys) (CSS px) into buffers.out, the w x h device
 * pixels whose top left pixel is device (ox, oy); device = css * scale +
 * shift.  Pure given its inputs (used by drawMarkerRaster and the tests).
 */
export function rasterize(buffers, {
  xs, ys, indices, n, scaleX, shiftX, scaleY, shiftY, ox, oy, w, h, stamps, table, saturate = null,
}) {
  // Margins: centres up to one radius outside reach the visible pixels,
  // and their stamps (and the box asking about them) reach one more.
  const { radius } = stamps;
  let proof = proofFor(stamps, table);
  if (proof && !(saturate ?? worthSaturating(stamps, proof, n, w, h))) proof = null;
  const margin = 2 * radius;
  const stride = w + 2 * margin;
  const rows = h + 2 * margin;
  buffers.size(stride, rows, w, h);
  const { occ, acc, sat, openSat } = buffers;
  const out = buffers.out32;
  const lo = margin - radius;
  const hiX = w + margin + radius;
  const hiY = h + margin + radius;
  // Buffer pixel = device pixel - (ox, oy) + margin.
  const tx = shiftX - ox + margin;
  const ty = shiftY - oy + margin;
  binCentres(occ, stride, xs, ys, indices, n, scaleX, tx, scaleY, ty, lo, hiX, hiY);
  let open = w * h;
  if (proof) {
    occupancyTable(sat, occ, stride, rows);
    const full = (stamps.strokeOn ? 255 << 8 : 0) | (stamps.fillOn ? 255 : 0);
    open = markFull(out, table[full], openSat, sat, stride, rows, margin, w, h, proof);
  }
  stampOccupied(acc, occ, stride, lo, hiX, lo, hiY, stamps, proof ? openSat : null);
  if (open > 0) compositeCoverage(out, w, h, acc, stride, margin, table, stamps, proof !== null);
  acc.fill(0, 0, stride * rows); // a memset: cheaper than tracking what was stamped
  return buffers.out;
}

// ---------------------------------------------------------------- uniform columns

const uniformCache = new WeakMap();

/**
 * The value every entry of `values` shares (to 1e-9 relative: data-unit
 * radii mapped to the screen differ in the last bits), else NaN.  With
 * `cached`, remembered per array: for columns that are never changed in
 * place (evaluated sizes and angles live until the data change).
 */
export function uniformValue(values, cached = true) {
  if (!values || !values.length) return NaN;
  let known = cached ? uniformCache.get(values) : undefined;
  if (known === undefined) {
    known = sharedValue(values);
    if (cached) uniformCache.set(values, known);
  }
  return known;
}

function sharedValue(values) {
  let lo = values[0];
  let hi = values[0];
  for (let i = 1; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
    else if (Number.isNaN(v)) return NaN;
  }
  return Number.isFinite(lo) && Number.isFinite(hi) && hi - lo <= 1e-9 * Math.max(1, Math.abs(hi)) ? lo : NaN;
}

// ---------------------------------------------------------------- canvas side

const spriteCache = new Map(); // style key -> stamps (a few recent ones)
const tableCache = new Map(); // colours key -> composite table
const CACHE_SIZE = 8;
let spriteCanvas = null;
let imageCanvas = null;
const buffers = new RasterBuffers();

function remember(cache, key, make) {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value);
    cache.set(key, value);
  }
  return value;
}

function alphaOf(value) {
  const n = Number(value);
  return Number.isFinite(n) ? Math.max(0, Math.min(1, n)) : 1;
}

/** [r, g, b, alpha] a constant visual paints with (its colour's alpha times its alpha). */
function paintOf(visual, i) {
  if (!visual) return null;
  const rgba = parseColor(visual.value('color', i));
  if (!rgba) return null;
  return [rgba[0], rgba[1], rgba[2], rgba[3] * alphaOf(visual.value('alpha', i))];
}

/**
 * Alpha images of `shape` for the 15 phase masks, fill only and stroke
 * only, drawn by the canvas with the glyph's own path and line style (white)
 * at the device scale (sx, sy).  Fills are opaque (the group's fills are one
 * union).  Strokes are opaque too, unless the canvas paints this line's
 * overlapping strokes one over another: then each is drawn at the line's
 * alpha, so that combining them reproduces that, and the stamps say so
 * (strokeAlphaIn).
 */
function drawSprites(shape, fill, line, i, sx, sy, lineAlpha) {
  if (!spriteCanvas) spriteCanvas = document.createElement('canvas');
  const lineWidth = line ? Math.max(0, Number(line.value('width', i)) || 0) : 0;
  // Start from the shape's reach plus the line; grow if the sprite touched the edge.
  let half = Math.ceil((shape.extent + lineWidth + 2) * Math.max(sx, sy)) + 1;
  for (let attempt = 0; attempt < 4; attempt++, half *= 2) {
    const size = 2 * half + 1;
    if (spriteCanvas.width !== size || spriteCanvas.height !== size) {
      spriteCanvas.width = size;
      spriteCanvas.height = size;
    }
    const ctx = spriteCanvas.getContext('2d', { willReadFrequently: true });
    const accumulates = line ? strokesAccumulate(ctx, line, i, sx, sy, size) : false;
    const paint = (kind, alpha) => {
      const alphas = [null];
      for (let m = 1; m < MASKS; m++) {
        alphas.push(drawMask(ctx, shape, m, kind, alpha, fill, line, i, sx, sy, half, size));
      }
      return alphas;
    };
    const fills = fill ? paint('fill', 1) : null;
    const strokes = line ? paint('stroke', accumulates ? lineAlpha : 1) : null;
    if (!touchesEdge(fills, size) && !touchesEdge(strokes, size)) {
      return { ...buildStamps(fills, strokes, size, half), strokeAlphaIn: accumulates };
    }
  }
  return null;
}

/**
 * Whether the canvas paints overlapping strokes of this line style one over
 * another instead of as one union.  Skia draws lines at most one device
 * pixel wide as hairlines, segment by segment, so a translucent thin
 * outline darkens where outlines cross; wider ones are filled as one
 * outline path.  Asked of the canvas itself: one segment stroked once and
 * twice at alpha 0.5.
 */
function strokesAccumulate(ctx, line, i, sx, sy, size) {
  const strokedAlpha = (times) => {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, size, size);
    ctx.setTransform(sx, 0, 0, sy, 0, 0);
    ctx.beginPath();
    for (let t = 0; t < times; t++) {
      ctx.moveTo((0.25 * size) / sx, (size / 2) / sy);
      ctx.lineTo((0.75 * size) / sx, (size / 2) / sy);
    }
    line.set(ctx, i);
    ctx.setLineDash([]);
    ctx.globalAlpha = 0.5;
    ctx.strokeStyle = '#fff';
    ctx.stroke();
    const data = ctx.getImageData(0, 0, size, size).data;
    let most = 0;
    for (let k = 3; k < data.length; k += 4) most = Math.max(most, data[k]);
    return most;
  };
  return strokedAlpha(2) > strokedAlpha(1) + 2;
}

/** One mask's union of phases filled or stroked in white at `alpha`; its alpha image. */
function drawMask(ctx, shape, mask, kind, alpha, fill, line, i, sx, sy, half, size) {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, size, size);
  ctx.setTransform(sx, 0, 0, sy, 0, 0);
  ctx.beginPath();
  for (let bit = 0; bit < 4; bit++) {
    if (!(mask & (1 << bit))) continue;
    shape.trace(ctx, (half + phaseOffset(bit & 1)) / sx, (half + phaseOffset(bit >> 1)) / sy);
  }
  if (kind === 'fill') {
    fill.set(ctx, i); // its fill rule and the like; colour and alpha replaced
    ctx.globalAlpha = alpha;
    ctx.fillStyle = '#fff';
    ctx.fill();
  } else {
    line.set(ctx, i); // width, join, cap, dash
    ctx.globalAlpha = alpha;
    ctx.strokeStyle = '#fff';
    ctx.stroke();
  }
  const data = ctx.getImageData(0, 0, size, size).data;
  const out = new Uint8Array(size * size);
  for (let k = 0; k < out.length; k++) out[k] = data[4 * k + 3];
  return out;
}

function touchesEdge(alphas, size) {
  if (!alphas) return false;
  const a = alphas[MASKS - 1];
  for (let k = 0; k < size; k++) {
    if (a[k] || a[(size - 1) * size + k] || a[k * size] || a[k * size + size - 1]) return true;
  }
  return false;
}

/**
 * Draw markers `indices` of glyph `g` as a raster: `shape` = {key, extent
 * (CSS px from the centre to the farthest point of the path), trace(ctx, cx,
 * cy)} is the one shape all of them share; fill / line the group's constant
 * visuals (null when not drawn).  Returns false, having drawn nothing, when
 * the context is rotated or skewed (the vector path then draws).
 */
export function drawMarkerRaster(ctx, g, indices, shape, fill, line) {
  const m = ctx.getTransform();
  if (m.b !== 0 || m.c !== 0 || !(m.a > 0) || !(m.d > 0) || !g.frame) return false;
  const i = indices[0];
  const fillPaint = paintOf(fill, i);
  let linePaint = paintOf(line, i);
  const stamps = stampsFor(shape, fill, line, i, linePaint ? linePaint[3] : 0, m.a, m.d);
  if (!stamps) return false;
  if (!stamps.fillOn && !stamps.strokeOn) return true; // nothing to paint
  if (stamps.strokeAlphaIn) linePaint = [linePaint[0], linePaint[1], linePaint[2], 1]; // in the sprites
  const table = remember(tableCache, JSON.stringify([fillPaint, linePaint]),
    () => compositeTable(fillPaint, linePaint));
  // The frame in device pixels, widened to whole pixels (the clip trims it).
  const f = g.frame;
  const ox = Math.floor(f.left * m.a + m.e);
  const oy = Math.floor(f.top * m.d + m.f);
  const w = Math.ceil((f.left + f.width) * m.a + m.e) - ox;
  const h = Math.ceil((f.top + f.height) * m.d + m.f) - oy;
  if (w <= 0 || h <= 0) return true;
  const all = indices.length === g.n; // every row, in whatever order: no indirection
  // On linear scales the centres are binned straight from the data (screen
  // = offset + value x factor folds into the device transform), so a pan
  // frame never maps a million points to the screen first.
  const { xscale, yscale } = g;
  const direct = Boolean(xscale && yscale && xscale.linear && yscale.linear && g.data.x && g.data.y);
  const image = rasterize(buffers, {
    xs: direct ? g.data.x : g.s.x,
    ys: direct ? g.data.y : g.s.y,
    indices: all ? null : indices,
    n: all ? g.n : indices.length,
    scaleX: direct ? m.a * xscale.factor : m.a,
    shiftX: direct ? m.a * xscale.offset + m.e : m.e,
    scaleY: direct ? m.d * yscale.factor : m.d,
    shiftY: direct ? m.d * yscale.offset + m.f : m.f,
    ox, oy, w, h, stamps, table,
  });
  paintImage(ctx, image, ox, oy, w, h);
  rasterStats.groups += 1;
  return true;
}

/** The stamps of this shape and line style at this device scale (cached: drawing them takes ms). */
function stampsFor(shape, fill, line, i, lineAlpha, sx, sy) {
  const lineKey = line
    ? ['width', 'join', 'cap', 'dash', 'dash_offset'].map((k) => JSON.stringify(line.value(k, i))).join()
    : '-';
  return remember(spriteCache, `${shape.key}|${fill ? 'f' : '-'}|${lineKey}|${lineAlpha}|${sx}|${sy}`,
    () => drawSprites(shape, fill, line, i, sx, sy, lineAlpha));
}

/**
 * Draw the w x h image at device pixel (ox, oy) of ctx through a scratch
 * canvas: drawImage composites over what the layer holds and keeps its clip
 * (putImageData would overwrite both).
 */
function paintImage(ctx, image, ox, oy, w, h) {
  if (!imageCanvas) imageCanvas = document.createElement('canvas');
  if (imageCanvas.width < w || imageCanvas.height < h) {
    imageCanvas.width = Math.max(w, imageCanvas.width);
    imageCanvas.height = Math.max(h, imageCanvas.height);
  }
  imageCanvas.getContext('2d').putImageData(image, 0, 0);
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalAlpha = 1;
  ctx.drawImage(imageCanvas, 0, 0, w, h, ox, oy, w, h);
  ctx.restore();
}
