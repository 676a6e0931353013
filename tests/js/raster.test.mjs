// Tests for the pure steps of core/raster.js (run: node --test tests/js/):
// binning centres into pixel/phase masks, the summed-area table, stamps and
// their saturation proof, the composite table, and whole rasters on small
// hand-checkable cases.  The sprites here are made by hand or computed
// analytically; in the browser the canvas draws them.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  RasterBuffers, binCentres, buildStamps, compositeTable, occupancyTable, phaseOffset, rasterize,
  uniformValue,
} from '../../plotserver/static/js/core/raster.js';

const MASKS = 16;

/** The same alpha image for every phase mask (a sprite that ignores sub-pixel position). */
function sameForAllMasks(alpha) {
  return [null, ...Array.from({ length: MASKS - 1 }, () => Uint8Array.from(alpha))];
}

// A 3 x 3 "plus": full centre, half-covered edge neighbours, empty corners.
const PLUS = [
  0, 128, 0,
  128, 255, 128,
  0, 128, 0,
];

/** Unpack a packed RGBA pixel (ImageData byte order). */
const rgba = (v) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24];

/**
 * Coverage (0-255) of a disk (`kind` fill) or a ring of width `lw` (stroke)
 * of radius r for every phase mask: the union of the mask's phases, sampled
 * 8 x 8 per pixel.  A stand-in for what the canvas draws.
 */
function analyticAlphas(kind, r, lw, half) {
  const size = 2 * half + 1;
  const out = [null];
  for (let m = 1; m < MASKS; m++) {
    const centres = [];
    for (let bit = 0; bit < 4; bit++) {
      if (m & (1 << bit)) centres.push([half + phaseOffset(bit & 1), half + phaseOffset(bit >> 1)]);
    }
    const alpha = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let hits = 0;
        for (let j = 0; j < 8; j++) {
          for (let i = 0; i < 8; i++) {
            const px = x + (i + 0.5) / 8;
            const py = y + (j + 0.5) / 8;
            const inside = centres.some(([cx, cy]) => {
              const d = Math.hypot(px - cx, py - cy);
              return kind === 'fill' ? d <= r : Math.abs(d - r) <= lw / 2;
            });
            if (inside) hits += 1;
          }
        }
        alpha[y * size + x] = Math.round((hits * 255) / 64);
      }
    }
    out.push(alpha);
  }
  return out;
}

/** Seeded uniform numbers in [0, 1) (mulberry32), so failures repeat. */
function seeded(seed) {
  return () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rasterize centres (device px = CSS px here) into a w x h picture at (0, 0); returns packed pixels. */
function picture(xs, ys, stamps, table, w, h, extra = {}) {
  const out = rasterize(new RasterBuffers(), {
    xs: Float64Array.from(xs), ys: Float64Array.from(ys), indices: null, n: xs.length,
    scaleX: 1, shiftX: 0, scaleY: 1, shiftY: 0, ox: 0, oy: 0, w, h, stamps, table, ...extra,
  });
  return Array.from(new Uint32Array(out.data.buffer));
}

// ---------------------------------------------------------------- binning

test('binning: each centre sets its phase bit in its pixel; out of range and non-finite are skipped', () => {
  const stride = 4;
  const occ = new Uint8Array(stride * 3);
  // (device x, y): pixel (1, 1) phase (0, 0) -> bit 1; (1.7, 1.2) -> phase (1, 0) -> bit 2;
  // (2.3, 0.9) -> pixel (2, 0), phase (0, 1) -> bit 4; (3.6, 2.5) -> pixel (3, 2), phase (1, 1) -> bit 8.
  const xs = [1.1, 1.7, 2.3, 3.6, -0.2, 4.0, NaN, 1.0, Infinity];
  const ys = [1.2, 1.2, 0.9, 2.5, 1.0, 1.0, 1.0, 3.0, 1.0];
  binCentres(occ, stride, xs, ys, null, xs.length, 1, 0, 1, 0, 0, 4, 3);
  assert.deepEqual(Array.from(occ), [
    0, 0, 4, 0,
    0, 3, 0, 0,
    0, 0, 0, 8,
  ]);
});

test('binning: scale and shift map CSS px to device px; an index list picks rows', () => {
  const occ = new Uint8Array(6 * 6);
  // Ratio 2, shifted by 1: CSS 1.3 -> device 3.6 (pixel 3, phase 1); CSS 0.1 -> 1.2 (pixel 1, phase 0).
  binCentres(occ, 6, [0.1, 1.3, 2.0], [1.3, 0.1, 2.0], [0, 1], 2, 2, 1, 2, 1, 0, 6, 6);
  const set = [...occ.keys()].filter((k) => occ[k]).map((k) => [k % 6, Math.floor(k / 6), occ[k]]);
  assert.deepEqual(set, [[3, 1, 2], [1, 3, 4]]); // row 2 (CSS (2, 2)) was not in the list
});

test('summed-area table counts occupied pixels of [0, x) x [0, y)', () => {
  const occ = Uint8Array.from([
    1, 0, 15,
    0, 4, 0,
  ]);
  const sat = new Uint16Array(4 * 3);
  occupancyTable(sat, occ, 3, 2);
  assert.deepEqual(Array.from(sat), [
    0, 0, 0, 0,
    0, 1, 1, 2,
    0, 1, 2, 3,
  ]);
});

// ---------------------------------------------------------------- stamps

/** Fixed-point density of coverage c (0-254) at the scale used for small footprints. */
const density = (c) => Math.round(-256 * Math.log(1 - c / 255));

test('stamps: cells with any coverage as densities, reach, and the saturation proof', () => {
  const stamps = buildStamps(sameForAllMasks(PLUS), null, 3, 1);
  assert.equal(stamps.radius, 1);
  assert.equal(stamps.fillOn, true);
  assert.equal(stamps.strokeOn, false);
  assert.equal(stamps.full, Math.ceil(-256 * Math.log(1 - 0.98))); // 1002: 98 % and up count as full
  const plus = stamps.masks[5];
  assert.deepEqual(Array.from(plus.dx), [0, -1, 0, 1, 0]);
  assert.deepEqual(Array.from(plus.dy), [-1, 0, 0, 0, 1]);
  const edge = density(128); // -256 ln(127/255) = 178
  assert.equal(edge, 178);
  assert.deepEqual(Array.from(plus.value), [edge, edge, stamps.full, edge, edge]);
  assert.equal(stamps.toCoverage[edge], 128); // and back
  // Half-covered edges never add up to full (1 - 0.5^4 < 1), so the best proof is the pixel
  // itself: occupied means full (its centre cell is).
  assert.deepEqual(stamps.proof, { near: 0, nearNeed: 1, far: 0, farNeed: 0, ring: false });
});

test('stamps: the proof tolerates empty pixels where many markers would each fill a pixel', () => {
  const square = [255, 255, 255, 255, 255, 255, 255, 255, 255];
  const stamps = buildStamps(sameForAllMasks(square), null, 3, 1);
  // Any one occupied pixel of the 3 x 3 box fills the centre: 8 of 9 may be empty.
  assert.deepEqual(stamps.proof, { near: 1, nearNeed: 1, far: 1, farNeed: 0, ring: false });
});

test('stamps: fill and stroke share one packed value (stroke in the upper 16 bits)', () => {
  const ring = [200, 10, 200, 10, 0, 10, 200, 10, 200];
  const stamps = buildStamps(sameForAllMasks(PLUS), sameForAllMasks(ring), 3, 1);
  const cells = stamps.masks[15];
  const at = (dx, dy) => cells.value[[...cells.dx].findIndex((x, j) => x === dx && cells.dy[j] === dy)];
  assert.equal(at(0, 0), stamps.full); // fill only
  assert.equal(at(1, 1), density(200) << 16); // stroke only
  assert.equal(at(1, 0), density(128) | (density(10) << 16));
});

test('stamps: a marker smaller than a pixel can never be proven full', () => {
  const speck = [0, 0, 0, 0, 100, 0, 0, 0, 0];
  const stamps = buildStamps(sameForAllMasks(speck), null, 3, 1);
  assert.equal(stamps.radius, 0);
  assert.equal(stamps.proof, null);
});

// ---------------------------------------------------------------- colours

test('composite table: fill, then the line over it, as source-over paints them', () => {
  const red = [255, 0, 0, 1];
  const blue = [0, 0, 255, 1];
  const fillOnly = compositeTable(red, null);
  assert.deepEqual(rgba(fillOnly[255]), [255, 0, 0, 255]);
  assert.deepEqual(rgba(fillOnly[128]), [255, 0, 0, 128]);
  assert.equal(fillOnly[0], 0);
  assert.equal(fillOnly[255 << 8], 0); // no line: stroke coverage paints nothing
  const both = compositeTable(red, blue);
  assert.deepEqual(rgba(both[(255 << 8) | 255]), [0, 0, 255, 255]);
  assert.deepEqual(rgba(both[255]), [255, 0, 0, 255]);
  // Half a blue line over a full red fill: 128/255 blue, the rest red, opaque.
  assert.deepEqual(rgba(both[(128 << 8) | 255]), [127, 0, 128, 255]);
  const translucent = compositeTable([31, 119, 180, 0.5], [31, 119, 180, 1]);
  assert.deepEqual(rgba(translucent[255]), [31, 119, 180, 128]); // fill_alpha 0.5
  assert.deepEqual(rgba(translucent[(255 << 8) | 255]), [31, 119, 180, 255]);
});

// ---------------------------------------------------------------- whole rasters

test('raster: one marker is its stamp; overlapping stamps combine as 1 - (1 - a)(1 - b)', () => {
  const stamps = buildStamps(sameForAllMasks(PLUS), null, 3, 1);
  const table = compositeTable([255, 0, 0, 1], null);
  const one = picture([2.2], [1.6], stamps, table, 5, 4);
  const F = table[255];
  const H = table[128];
  assert.deepEqual(one, [
    0, 0, H, 0, 0,
    0, H, F, H, 0,
    0, 0, H, 0, 0,
    0, 0, 0, 0, 0,
  ]);
  // A second marker one pixel right: the shared pixel (3, 1) gets full from its centre.
  const two = picture([2.2, 3.4], [1.6, 1.1], stamps, table, 5, 4);
  assert.deepEqual(two, [
    0, 0, H, H, 0,
    0, H, F, F, H,
    0, 0, H, H, 0,
    0, 0, 0, 0, 0,
  ]);
  // Two pixels apart, both half-cover (2, 1): 1 - (1 - 128/255)^2 = 0.752 of 255 = 192.
  const apart = picture([1.5, 3.5], [1.5, 1.5], stamps, table, 5, 4);
  assert.equal(apart[5 + 2], table[192]);
  assert.equal(stamps.toCoverage[2 * density(128)], 192);
  // Any number of markers in one pixel and phase draw as one.
  assert.deepEqual(picture([2.2, 2.3, 2.1], [1.6, 1.7, 1.55], stamps, table, 5, 4), one);
});

test('raster: markers just outside the picture still reach into it', () => {
  const stamps = buildStamps(sameForAllMasks(PLUS), null, 3, 1);
  const table = compositeTable([255, 0, 0, 1], null);
  const H = table[128];
  // Centre at pixel (-1, 1): only its right edge, pixel (0, 1), is inside.
  assert.deepEqual(picture([-0.5], [1.5], stamps, table, 3, 3), [0, 0, 0, H, 0, 0, 0, 0, 0]);
  // Two pixels outside: nothing.
  assert.deepEqual(picture([-1.5], [1.5], stamps, table, 3, 3), new Array(9).fill(0));
});

test('raster: proving dense pixels full changes no pixel (circles of size 4 and 8, outlines, alpha)', () => {
  for (const [r, lw, half] of [[2, 1, 5], [4, 2, 8]]) {
    const stamps = buildStamps(analyticAlphas('fill', r, lw, half), analyticAlphas('stroke', r, lw, half),
      2 * half + 1, half);
    assert.ok(stamps.proof, 'circles this large can be proven full');
    for (const table of [
      compositeTable([31, 119, 180, 1], [31, 119, 180, 1]), // the default style: the outline hidden
      compositeTable([31, 119, 180, 0.5], [31, 119, 180, 1]),
      compositeTable([255, 255, 255, 1], [0, 0, 0, 1]),
    ]) {
      // A cloud dense in the middle and sparse at the edges: every kind of pixel.
      const random = seeded(r * 7 + lw);
      const xs = [];
      const ys = [];
      for (let i = 0; i < 6000; i++) {
        const spread = random() < 0.5 ? 8 : 30;
        xs.push(40 + spread * (random() + random() + random() - 1.5));
        ys.push(30 + spread * (random() + random() + random() - 1.5));
      }
      const proven = picture(xs, ys, stamps, table, 80, 60, { saturate: true });
      const summed = picture(xs, ys, stamps, table, 80, 60, { saturate: false });
      assert.deepEqual(proven, summed);
      assert.ok(proven.filter((v) => v === table[(255 << 8) | 255]).length > 500, 'a dense middle');
    }
  }
});

test('raster: buffers are reused across frames and left clean', () => {
  const stamps = buildStamps(sameForAllMasks(PLUS), null, 3, 1);
  const table = compositeTable([255, 0, 0, 1], null);
  const buffers = new RasterBuffers();
  const frame = (xs, ys) => Array.from(new Uint32Array(rasterize(buffers, {
    xs: Float64Array.from(xs), ys: Float64Array.from(ys), indices: null, n: xs.length,
    scaleX: 1, shiftX: 0, scaleY: 1, shiftY: 0, ox: 0, oy: 0, w: 6, h: 5, stamps, table,
  }).data.buffer));
  const first = frame([1.5, 4.5], [1.5, 3.5]);
  frame([2.5, 3.5, 0.5], [2.5, 1.5, 4.5]);
  assert.deepEqual(frame([1.5, 4.5], [1.5, 3.5]), first);
  assert.deepEqual(frame([], []), new Array(30).fill(0));
});

// ---------------------------------------------------------------- uniform columns

test('uniformValue: the shared value, NaN when values differ or are not finite', () => {
  assert.equal(uniformValue(new Float64Array([4, 4, 4])), 4);
  assert.equal(uniformValue(Float64Array.from([7.5, 7.5 + 1e-12, 7.5])), 7.5); // mapped radii
  assert.ok(Number.isNaN(uniformValue(new Float64Array([4, 5]))));
  assert.ok(Number.isNaN(uniformValue(new Float64Array([4, NaN, 4]))));
  assert.ok(Number.isNaN(uniformValue(new Float64Array([NaN, 4]))));
  assert.ok(Number.isNaN(uniformValue(new Float64Array(0))));
  const column = new Float64Array([3, 3]);
  assert.equal(uniformValue(column), 3);
  column[1] = 9; // cached per array: evaluated columns never change in place
  assert.equal(uniformValue(column), 3);
});
