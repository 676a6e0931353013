// spatial_bench.mjs - build and query times of the SpatialIndex
// (plotserver/static/js/core/spatial.js) at a million items.
//
//   node benchmarks/spatial_bench.mjs
//
// Targets: build <= 200 ms for 1,000,000 random points; a query holding
// ~100 of them <= 0.1 ms (mean of 1,000); about <= 40 bytes per item.
// Each build is repeated and the median reported (the first runs include
// JIT warm-up, which is shown separately).

import { SpatialIndex } from '../plotserver/static/js/core/spatial.js';

const N = 1_000_000;

// A small seeded generator so that runs are comparable.
let seed = 12345;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const ms = (value) => `${value.toFixed(value < 1 ? 4 : 1)} ms`;

function timeBuild(name, minX, maxX, minY, maxY, runs = 7) {
  const times = [];
  let index;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    index = new SpatialIndex(minX, maxX, minY, maxY);
    times.push(performance.now() - t0);
  }
  console.log(`build ${name}: median ${ms(median(times))} (first ${ms(times[0])}, min ${ms(Math.min(...times))})`);
  return index;
}

/** Mean time of `count` queries of a w x h box placed by `place()`, and mean result size. */
function timeQueries(name, index, place, w, h, count = 1000) {
  const boxes = [];
  for (let q = 0; q < count; q++) boxes.push(place());
  for (const [x, y] of boxes.slice(0, 100)) index.search(x, x + w, y, y + h); // warm-up
  let found = 0;
  const t0 = performance.now();
  for (const [x, y] of boxes) found += index.search(x, x + w, y, y + h).length;
  const elapsed = performance.now() - t0;
  console.log(`query ${name}: mean ${ms(elapsed / count)}, mean result ${(found / count).toFixed(1)} items`);
}

function bytesPerItem(index) {
  // Internal arrays, read here only to report what the index keeps alive.
  const bytes = index._boxes.byteLength + index._ids.byteLength + index._stack.byteLength;
  return bytes / index.size;
}

// Uniform random points in the unit square.
const xs = new Float64Array(N); const ys = new Float64Array(N);
for (let i = 0; i < N; i++) { xs[i] = random(); ys[i] = random(); }
const uniform = timeBuild('1M uniform points', xs, xs, ys, ys);
console.log(`memory: ${bytesPerItem(uniform).toFixed(1)} bytes per item`);
const side = Math.sqrt(100 / N); // a box expected to hold 100 points
timeQueries('~100 of 1M uniform', uniform, () => [random() * (1 - side), random() * (1 - side)], side, side);
timeQueries('hover (1e-3 box) in 1M uniform', uniform, () => [random(), random()], 1e-3, 1e-3);
timeQueries('half the plot (~500k)', uniform, () => [random() * 0.5, 0], 0.5, 1, 20);
let t0 = performance.now();
const all = uniform.search(-1, 2, -1, 2);
console.log(`query all: ${all.length} of ${N} returned in ${ms(performance.now() - t0)}`);

// A time series: x sorted (epoch milliseconds), y random.
const ts = new Float64Array(N); const tv = new Float64Array(N);
for (let i = 0; i < N; i++) { ts[i] = 1.7e12 + i * 1000; tv[i] = random(); }
const series = timeBuild('1M time series (x sorted)', ts, ts, tv, tv);
const span = 1000 * N;
timeQueries('~100 of 1M time series', series, () => [1.7e12 + random() * span * 0.99, random() * 0.9], span * 1e-3, 0.1);

// Heavily clustered: 99% within a 1e-6 square, 1% spread over [0, 1000].
const cx = new Float64Array(N); const cy = new Float64Array(N);
for (let i = 0; i < N; i++) {
  const far = random() < 0.01;
  cx[i] = far ? random() * 1000 : 500 + random() * 1e-6;
  cy[i] = far ? random() * 1000 : 500 + random() * 1e-6;
}
const clustered = timeBuild('1M clustered (99% in 1e-6 square)', cx, cx, cy, cy);
const inner = 1e-6 * Math.sqrt(100 / (0.99 * N));
timeQueries('~100 inside the cluster', clustered, () => [500 + random() * 9e-7, 500 + random() * 9e-7], inner, inner);
timeQueries('~100 of the far 1% (away from the cluster)', clustered, () => [random() * 390, random() * 900], 100, 100);

// Clusters inside clusters: 20 levels of 50,000 points, each level 2^16
// times smaller than the one before, the worst case for re-sorting runs of
// equal Hilbert keys (which is capped).
const nx = new Float64Array(N); const ny = new Float64Array(N);
for (let i = 0; i < N; i++) {
  const scale = 2 ** (-16 * Math.floor(i / 50_000));
  nx[i] = random() * scale; ny[i] = random() * scale;
}
const nested = timeBuild('1M nested clusters (20 levels)', nx, nx, ny, ny, 3);
timeQueries('~100 in the 10th level', nested, () => [random() * 2 ** -144, random() * 2 ** -144], 2 ** -144 * 0.045, 2 ** -144 * 0.045);

// Random rectangles (e.g. quads / rects glyphs).
const x0 = new Float64Array(N); const x1 = new Float64Array(N);
const y0 = new Float64Array(N); const y1 = new Float64Array(N);
for (let i = 0; i < N; i++) {
  x0[i] = random(); x1[i] = x0[i] + random() * 1e-3;
  y0[i] = random(); y1[i] = y0[i] + random() * 1e-3;
}
const rects = timeBuild('1M random rects', x0, x1, y0, y1);
timeQueries('~100 of 1M rects', rects, () => [random() * 0.99, random() * 0.99], side - 1e-3, side - 1e-3);

// Plain arrays in, as a glyph might hand over an un-typed column.
const plainX = Array.from(xs); const plainY = Array.from(ys);
timeBuild('1M uniform points from plain arrays', plainX, plainX, plainY, plainY, 3);
