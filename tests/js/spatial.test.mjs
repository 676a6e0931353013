// Tests for the spatial index behind hover and selection (run: node --test
// tests/js/).  Every search is compared with a brute-force scan of the same
// items; timings are only printed (benchmarks/spatial_bench.mjs has more).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { SpatialIndex } from '../../plotserver/static/js/core/spatial.js';

// ---------------------------------------------------------------- helpers

/** A seeded generator in [0, 1), so that a failure can be reproduced. */
function seeded(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const finite = (...values) => values.every(Number.isFinite);

/** Sorted item numbers whose box meets [x0, x1] x [y0, y1], by a plain scan. */
function bruteForce(minX, maxX, minY, maxY, x0, x1, y0, y1) {
  const found = [];
  for (let i = 0; i < minX.length; i++) {
    if (!finite(minX[i], maxX[i], minY[i], maxY[i])) continue;
    const lowX = Math.min(minX[i], maxX[i]); const highX = Math.max(minX[i], maxX[i]);
    const lowY = Math.min(minY[i], maxY[i]); const highY = Math.max(minY[i], maxY[i]);
    if (lowX <= x1 && highX >= x0 && lowY <= y1 && highY >= y0) found.push(i);
  }
  return found;
}

/** The search result as a sorted plain array, after checking its type and that no item repeats. */
function searched(index, x0, x1, y0, y1) {
  const result = index.search(x0, x1, y0, y1);
  assert.ok(result instanceof Uint32Array, 'search returns a Uint32Array');
  const sorted = Array.from(result).sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) assert.notEqual(sorted[i], sorted[i - 1], 'an item returned twice');
  return sorted;
}

/**
 * Query boxes for items spread over [lo, hi]: random boxes from tiny to
 * wider than everything, zero-size boxes on items, boxes whose edges are
 * exactly item coordinates (closed intervals), and boxes off to one side.
 */
function queries(random, minX, maxX, minY, maxY, lo, hi, count) {
  const span = hi - lo;
  const pick = () => Math.floor(random() * minX.length);
  const boxes = [];
  for (let q = 0; q < count; q++) {
    const kind = q % 5;
    if (kind === 0 || kind === 1) {
      const w = span * 10 ** (-6 * random()); const h = span * 10 ** (-6 * random());
      const x = lo - 0.1 * span + random() * 1.2 * span; const y = lo - 0.1 * span + random() * 1.2 * span;
      boxes.push([x, x + w, y, y + h]);
    } else if (minX.length > 0 && kind === 2) {
      const i = pick(); boxes.push([minX[i], minX[i], minY[i], minY[i]]); // a point query on an item
    } else if (minX.length > 0 && kind === 3) {
      const i = pick(); const j = pick(); // edges exactly on item coordinates
      boxes.push([Math.min(maxX[i], minX[j]), Math.max(maxX[i], minX[j]),
        Math.min(maxY[i], minY[j]), Math.max(maxY[i], minY[j])]);
    } else {
      boxes.push([hi + span + 1, hi + 2 * span + 2, lo, hi]); // beside everything
    }
  }
  boxes.push([lo - span - 1, hi + span + 1, lo - span - 1, hi + span + 1]); // around everything
  return boxes;
}

/** Builds the index and checks size, bounds and every query against brute force. */
function checkAgainstBruteForce(minX, maxX, minY, maxY, boxes) {
  const index = new SpatialIndex(minX, maxX, minY, maxY);
  const kept = [];
  for (let i = 0; i < minX.length; i++) if (finite(minX[i], maxX[i], minY[i], maxY[i])) kept.push(i);
  assert.equal(index.size, kept.length);
  if (kept.length === 0) {
    assert.equal(index.bounds, null);
  } else {
    const lows = (a, b) => kept.map((i) => Math.min(a[i], b[i]));
    const highs = (a, b) => kept.map((i) => Math.max(a[i], b[i]));
    assert.deepEqual(index.bounds, {
      minX: Math.min(...lows(minX, maxX)), maxX: Math.max(...highs(minX, maxX)),
      minY: Math.min(...lows(minY, maxY)), maxY: Math.max(...highs(minY, maxY)),
    });
  }
  for (const [x0, x1, y0, y1] of boxes) {
    assert.deepEqual(searched(index, x0, x1, y0, y1), bruteForce(minX, maxX, minY, maxY, x0, x1, y0, y1),
      `query [${x0}, ${x1}] x [${y0}, ${y1}]`);
  }
  return index;
}

function randomPoints(random, n, lo, hi) {
  const xs = new Float64Array(n); const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) { xs[i] = lo + random() * (hi - lo); ys[i] = lo + random() * (hi - lo); }
  return [xs, ys];
}

// ---------------------------------------------------------------- points

test('random points of every size agree with brute force', () => {
  const random = seeded(1);
  for (const n of [0, 1, 2, 17, 1000, 100_000]) {
    const [xs, ys] = randomPoints(random, n, -50, 50);
    const boxes = queries(random, xs, xs, ys, ys, -50, 50, n >= 100_000 ? 150 : 300);
    const index = checkAgainstBruteForce(xs, xs, ys, ys, boxes);
    assert.equal(index.size, n);
  }
});

test('the empty index: size 0, no bounds, every search empty', () => {
  const index = new SpatialIndex([], [], [], []);
  assert.equal(index.size, 0);
  assert.equal(index.bounds, null);
  assert.deepEqual(index.search(-Infinity, Infinity, -Infinity, Infinity), new Uint32Array(0));
});

test('duplicate points and all points identical', () => {
  const random = seeded(2);
  // Every point the same: the whole set or nothing.
  const same = new Float64Array(5000).fill(3.25);
  const index = checkAgainstBruteForce(same, same, same, same, queries(random, same, same, same, same, 3, 4, 50));
  assert.equal(index.search(3.25, 3.25, 3.25, 3.25).length, 5000);
  assert.equal(index.search(3.25, 3.25, 3.5, 4).length, 0);
  // Many copies of a few distinct points among random ones.
  const [xs, ys] = randomPoints(random, 3000, 0, 1);
  for (let i = 0; i < 3000; i += 3) { xs[i] = [0.1, 0.5, 0.9][i % 9 / 3]; ys[i] = 0.5; }
  checkAgainstBruteForce(xs, xs, ys, ys, [...queries(random, xs, xs, ys, ys, 0, 1, 200),
    [0.5, 0.5, 0.5, 0.5], [0.1, 0.5, 0.5, 0.5], [0.1, 0.9, 0.4, 0.6]]);
});

test('points on the edges of the query box are inside (closed intervals)', () => {
  // A 10 x 10 grid of integer points: every box with integer corners has
  // points on all four edges and corners.
  const xs = []; const ys = [];
  for (let x = 0; x < 10; x++) for (let y = 0; y < 10; y++) { xs.push(x); ys.push(y); }
  const boxes = [];
  for (let q = 0; q < 400; q++) {
    const x0 = q % 10; const y0 = Math.floor(q / 10) % 10; const w = q % 7; const h = q % 3;
    boxes.push([x0, x0 + w, y0, y0 + h]);
  }
  const index = checkAgainstBruteForce(xs, xs, ys, ys, boxes);
  assert.equal(index.search(2, 4, 3, 3).length, 3);
  assert.equal(index.search(2, 2, 3, 3).length, 1);
});

test('negative, tiny, huge and epoch-millisecond coordinates', () => {
  const random = seeded(3);
  for (const [lo, hi] of [[-1e6, -1e6 + 1], [-1e-9, 1e-9], [0, 1e-9], [-1e12, 1e12], [1e12, 1e12 + 5]]) {
    const [xs, ys] = randomPoints(random, 2000, lo, hi);
    checkAgainstBruteForce(xs, xs, ys, ys, queries(random, xs, xs, ys, ys, lo, hi, 150));
  }
  // A time series: x epoch milliseconds in increasing order, y small values.
  const n = 20_000; const xs = new Float64Array(n); const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) { xs[i] = 1.7e12 + i * 60_000; ys[i] = Math.sin(i / 50) * 1e-3; }
  const boxes = queries(random, xs, xs, ys, ys, 1.7e12, 1.7e12 + n * 60_000, 200)
    .concat([[1.7e12, 1.7e12 + 600_000, -1, 1], [xs[5], xs[9], ys[7], ys[7]]]);
  checkAgainstBruteForce(xs, xs, ys, ys, boxes);
  // Values near the largest double: box centres must not overflow.
  const big = [-1.7e308, 1.7e308, 1e308, -1e308, 0, 5];
  checkAgainstBruteForce(big, big, big.slice().reverse(), big.slice().reverse(),
    [[-Infinity, Infinity, -Infinity, Infinity], [0, 1.7e308, -1.7e308, 0], [1e308, 1e308, -1e308, -1e308]]);
});

test('clustered data (refined ordering inside a cluster) agrees with brute force', () => {
  const random = seeded(4);
  const n = 50_000; const xs = new Float64Array(n); const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const far = random() < 0.01;
    xs[i] = far ? random() * 1000 : 500 + random() * 1e-7;
    ys[i] = far ? random() * 1000 : 500 + random() * 1e-7;
  }
  const inCluster = [];
  for (let q = 0; q < 200; q++) {
    const x = 500 + random() * 1e-7; const y = 500 + random() * 1e-7;
    inCluster.push([x, x + random() * 2e-8, y, y + random() * 2e-8]);
  }
  checkAgainstBruteForce(xs, xs, ys, ys, [...inCluster, ...queries(random, xs, xs, ys, ys, 0, 1000, 200)]);
  // Points at 2^-k: each re-sort over a finer grid splits off only a few,
  // down to where the number of re-sorts is capped.
  const geometric = Float64Array.from({ length: 2000 }, (_, i) => 2 ** -(i % 1000));
  const other = Float64Array.from({ length: 2000 }, (_, i) => (i < 1000 ? 0 : 1));
  checkAgainstBruteForce(geometric, geometric, other, other,
    queries(random, geometric, geometric, other, other, 0, 1, 200));
});

// ---------------------------------------------------------------- boxes

test('random item boxes (rects), some of zero size or given reversed', () => {
  const random = seeded(5);
  for (const n of [1, 2, 17, 1000, 100_000]) {
    const x0 = new Float64Array(n); const x1 = new Float64Array(n);
    const y0 = new Float64Array(n); const y1 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x0[i] = random() * 100 - 50; y0[i] = random() * 100 - 50;
      x1[i] = x0[i] + (i % 7 === 0 ? 0 : random() * 10 ** (1 - 4 * random()));
      y1[i] = y0[i] + (i % 5 === 0 ? 0 : random() * 10 ** (1 - 4 * random()));
      if (i % 11 === 0) { const t = x0[i]; x0[i] = x1[i]; x1[i] = t; } // given right to left
    }
    checkAgainstBruteForce(x0, x1, y0, y1, queries(random, x0, x1, y0, y1, -50, 50, n >= 100_000 ? 150 : 300));
  }
});

// ---------------------------------------------------------------- non-finite items and odd input

test('items with NaN or Infinity are never indexed, counted or returned', () => {
  const random = seeded(6);
  const n = 5000; const [xs, ys] = randomPoints(random, n, 0, 1);
  const spoiled = [NaN, Infinity, -Infinity];
  for (let i = 0; i < n; i += 4) (i % 8 === 0 ? xs : ys)[i] = spoiled[i % 3];
  const index = checkAgainstBruteForce(xs, xs, ys, ys, queries(random, xs, xs, ys, ys, 0, 1, 300));
  assert.equal(index.size, n - n / 4);
  const everything = index.search(-Infinity, Infinity, -Infinity, Infinity);
  assert.equal(everything.length, index.size);
  for (const i of everything) assert.ok(Number.isFinite(xs[i]) && Number.isFinite(ys[i]));
  // One non-finite corner of a rect is enough to leave the item out.
  const rects = new SpatialIndex([0, -Infinity, 0, 0, 0], [1, 1, NaN, 1, 1], [0, 0, 0, NaN, 0], [1, 1, 1, 1, Infinity]);
  assert.equal(rects.size, 1);
  assert.deepEqual(Array.from(rects.search(-10, 10, -10, 10)), [0]);
  // Nothing finite at all: an empty index.
  const none = new SpatialIndex([NaN, Infinity], [NaN, Infinity], [1, 2], [1, 2]);
  assert.equal(none.size, 0);
  assert.equal(none.bounds, null);
  assert.equal(none.search(-Infinity, Infinity, -Infinity, Infinity).length, 0);
});

test('plain arrays work like typed ones; later changes to them do not reach the index', () => {
  const xs = [5, 1, 3, NaN, 2]; const ys = [0, 1, 2, 3, 4];
  const index = new SpatialIndex(xs, xs, ys, ys);
  assert.equal(index.size, 4);
  assert.deepEqual(index.bounds, { minX: 1, maxX: 5, minY: 0, maxY: 4 });
  assert.deepEqual(searched(index, 1, 3, 0, 10), [1, 2, 4]);
  xs[1] = 100;
  assert.deepEqual(searched(index, 1, 3, 0, 10), [1, 2, 4]);
});

test('odd queries: reversed corners, NaN, beyond everything', () => {
  const xs = Float64Array.from({ length: 100 }, (_, i) => i);
  const index = new SpatialIndex(xs, xs, xs, xs);
  assert.deepEqual(searched(index, 20, 10, 20, 10), searched(index, 10, 20, 10, 20));
  assert.equal(index.search(NaN, 10, 0, 10).length, 0);
  assert.equal(index.search(0, 10, 0, NaN).length, 0);
  assert.equal(index.search(200, 300, 0, 100).length, 0);
  assert.equal(index.search(-Infinity, Infinity, -Infinity, Infinity).length, 100);
});

test('arrays of different lengths are refused', () => {
  assert.throws(() => new SpatialIndex([1, 2], [1, 2], [1], [1]), RangeError);
});

// ---------------------------------------------------------------- a million

test('a million points: all of them, and a few boxes checked against brute force', (t) => {
  const random = seeded(7);
  const n = 1_000_000;
  const [xs, ys] = randomPoints(random, n, 0, 1);
  let t0 = performance.now();
  const index = new SpatialIndex(xs, xs, ys, ys);
  const build = performance.now() - t0;
  const all = index.search(0, 1, 0, 1);
  assert.equal(all.length, n);
  assert.equal(new Set(all).size, n);
  const side = Math.sqrt(100 / n);
  const boxes = [];
  for (let q = 0; q < 1000; q++) { const x = random() * (1 - side); const y = random() * (1 - side); boxes.push([x, x + side, y, y + side]); }
  for (const [x0, x1, y0, y1] of boxes.slice(0, 5)) {
    assert.deepEqual(searched(index, x0, x1, y0, y1), bruteForce(xs, xs, ys, ys, x0, x1, y0, y1));
  }
  t0 = performance.now();
  let found = 0;
  for (const [x0, x1, y0, y1] of boxes) found += index.search(x0, x1, y0, y1).length;
  const query = (performance.now() - t0) / boxes.length;
  t.diagnostic(`1M points: build ${build.toFixed(1)} ms, ~${(found / boxes.length).toFixed(0)}-point query ${(query * 1000).toFixed(1)} us`);
});
