// Tests for the pure drawing modules (run: node --test tests/js/): colour
// parsing, scales (MODELS.md 5.4), dataspec evaluation (3.4), DataRange1d
// fitting (5.5) and the M4 line reduction.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { cssColor, packRGBA, parseColor } from '../../plotserver/static/js/core/color.js';
import {
  LinearScale, LogScale, factorCoordinate, factorCoordinates, factorIndex,
} from '../../plotserver/static/js/core/scales.js';
import {
  evalAngles, evalNested, evalNumbers, evalRaw, numberColumn, rowCount, specParts,
} from '../../plotserver/static/js/core/dataspec.js';
import { reduceLine } from '../../plotserver/static/js/core/m4.js';
import { fitDataRange } from '../../plotserver/static/js/views/ranges.js';

// ---------------------------------------------------------------- colours

test('colours: names, hex, rgb()/rgba(), arrays and null', () => {
  assert.deepEqual(parseColor('firebrick'), [178, 34, 34, 1]);
  assert.deepEqual(parseColor('NavY'), [0, 0, 128, 1]);
  assert.deepEqual(parseColor('#1f77b4'), [31, 119, 180, 1]);
  assert.deepEqual(parseColor('#f00'), [255, 0, 0, 1]);
  assert.deepEqual(parseColor('#ff000080'), [255, 0, 0, 128 / 255]);
  assert.deepEqual(parseColor('rgb(255, 0, 0)'), [255, 0, 0, 1]);
  assert.deepEqual(parseColor('rgba(0, 0, 255, 0.5)'), [0, 0, 255, 0.5]);
  assert.deepEqual(parseColor([10, 20, 30]), [10, 20, 30, 1]);
  assert.deepEqual(parseColor([10, 20, 30, 0.25]), [10, 20, 30, 0.25]);
  assert.equal(parseColor(null), null);
  assert.equal(parseColor('not a colour'), null);
  assert.equal(parseColor('#12345'), null);
  assert.equal(parseColor([1, 2]), null);
});

test('colours: css strings for canvas, packed pixels in ImageData byte order', () => {
  assert.equal(cssColor('red'), 'red');
  assert.equal(cssColor([255, 0, 0]), 'rgb(255, 0, 0)');
  assert.equal(cssColor([0, 0, 255, 0.5]), 'rgba(0, 0, 255, 0.5)');
  assert.equal(cssColor(null), null);
  assert.equal(cssColor('column_name'), null);
  // Little-endian: bytes R, G, B, A -> 0xAABBGGRR (what image_rgba sends).
  assert.equal(packRGBA([255, 0, 0, 1]), 0xff0000ff);
  assert.equal(packRGBA([0, 255, 0, 1]), 0xff00ff00);
});

// ---------------------------------------------------------------- scales

test('linear scale: the seed demo frame', () => {
  // x range [0.8, 5.2] on a frame from 40 to 360 px.
  const x = new LinearScale(0.8, 5.2, 40, 360);
  assert.ok(Math.abs(x.map(1) - (40 + (0.2 / 4.4) * 320)) < 1e-9);
  assert.ok(Math.abs(x.map(5.2) - 360) < 1e-9);
  assert.ok(Math.abs(x.invert(x.map(3.3)) - 3.3) < 1e-9);
  // y grows upward: the range start is at the frame bottom.
  const y = new LinearScale(1.75, 7.25, 360, 40);
  assert.equal(y.map(1.75), 360);
  assert.equal(y.map(7.25), 40);
  const mapped = x.mapArray(new Float64Array([0.8, 5.2]));
  assert.ok(Math.abs(mapped[0] - 40) < 1e-9 && Math.abs(mapped[1] - 360) < 1e-9);
  // start > end flips the picture.
  const flipped = new LinearScale(10, 0, 0, 100);
  assert.equal(flipped.map(10), 0);
  assert.equal(flipped.map(0), 100);
});

test('log scale: powers of ten evenly spaced, non-positive values skipped, ends adjusted', () => {
  const y = new LogScale(0.1, 1000, 300, 0);
  assert.ok(Math.abs(y.map(1) - 225) < 1e-9);
  assert.ok(Math.abs(y.map(10) - 150) < 1e-9);
  assert.ok(Math.abs(y.map(100) - 75) < 1e-9);
  assert.ok(Number.isNaN(y.map(0)));
  assert.ok(Number.isNaN(y.map(-5)));
  // A start of 0 counts as 1; equal ends widen to the surrounding powers of ten.
  assert.equal(new LogScale(0, 100, 0, 100).start, 1);
  const same = new LogScale(5, 5, 0, 100);
  assert.deepEqual([same.start, same.end], [1, 10]);
  const zero = new LogScale(0, 0, 0, 100);
  assert.deepEqual([zero.start, zero.end], [1, 10]);
});

test('categorical coordinates: factor i at i + 1 + offset, "name:0.3" inside the band', () => {
  const index = factorIndex(['a', 'b', 'c']);
  assert.equal(factorCoordinate('a', index), 1);
  assert.equal(factorCoordinate('c', index, 0.5), 3.5);
  // b's band is [1.5, 2.5]: 0.3 into it.
  assert.ok(Math.abs(factorCoordinate('b:0.3', index) - 1.8) < 1e-12);
  assert.equal(factorCoordinate(2.5, index), 2.5);
  assert.ok(Number.isNaN(factorCoordinate('zzz', index)));
  assert.deepEqual(Array.from(factorCoordinates(['c', 'a'], index)), [3, 1]);
});

// ---------------------------------------------------------------- dataspecs

test('dataspecs: field, value (even null), bare constants, missing fields', () => {
  assert.deepEqual(specParts({ field: 'x' }), { field: 'x', value: undefined, units: undefined });
  assert.deepEqual(specParts({ value: null }), { field: undefined, value: null, units: undefined });
  assert.deepEqual(specParts(4), { field: undefined, value: 4, units: undefined });
  const data = { x: [1, 'NaN', 'Infinity', null], y: [1, 2, 3, 4] };
  assert.equal(rowCount(data), 4);
  assert.equal(rowCount({}), 1);
  const x = evalNumbers({ field: 'x' }, data, 4);
  assert.equal(x[0], 1);
  assert.ok(Number.isNaN(x[1]));
  assert.equal(x[2], Infinity);
  assert.ok(Number.isNaN(x[3]), 'null is a gap, not 0');
  // A constant repeats; a field the data lacks falls back to the constant (none: NaN).
  assert.deepEqual(Array.from(evalNumbers({ value: 4 }, data, 4)), [4, 4, 4, 4]);
  assert.ok(evalNumbers({ field: 'nope' }, data, 2).every(Number.isNaN));
  assert.deepEqual(Array.from(evalNumbers(undefined, data, 2, { fallback: 4 })), [4, 4]);
  assert.deepEqual(evalRaw({ field: 'y' }, data, 'gray'), { values: data.y });
  assert.deepEqual(evalRaw(undefined, data, 'gray'), { constant: 'gray' });
});

test('dataspecs: a column is converted once, nested lists per row, angles negated', () => {
  const column = [1, 2, 3];
  assert.equal(numberColumn(column), numberColumn(column));
  const nested = evalNested({ field: 'xs' }, { xs: [[0, 1], [2, 'NaN', 3]] }, 2);
  assert.deepEqual(Array.from(nested[0]), [0, 1]);
  assert.ok(Number.isNaN(nested[1][1]));
  const deg = evalAngles({ angle: { value: 90, units: 'deg' } }, 'angle', {}, 1, 0);
  assert.ok(Math.abs(deg[0] + Math.PI / 2) < 1e-12);
  const viaUnits = evalAngles({ angle: { value: 180 }, angle_units: 'deg' }, 'angle', {}, 1, 0);
  assert.ok(Math.abs(viaUnits[0] + Math.PI) < 1e-12);
  const markerRadians = evalAngles({ angle: { value: 1 }, angle_units: 'deg' }, 'angle', {}, 1, 0, false);
  assert.equal(markerRadians[0], -1);
});

// ---------------------------------------------------------------- DataRange1d

test('DataRange1d: 10 % padding, default span, explicit ends, flipped, no data', () => {
  const close = (a, b) => Math.abs(a - b) < 1e-12;
  const x = fitDataRange({}, 1, 5);
  assert.ok(close(x.start, 0.8) && close(x.end, 5.2));
  const y = fitDataRange({}, 2, 7);
  assert.ok(Math.abs(y.start - 1.75) < 1e-12 && Math.abs(y.end - 7.25) < 1e-12);
  assert.deepEqual(fitDataRange({}, 3, 3), { start: 2, end: 4 });
  assert.deepEqual(fitDataRange({ range_padding: 0 }, 1, 5), { start: 1, end: 5 });
  const explicit = fitDataRange({ start: 0 }, 1, 5);
  assert.ok(explicit.start === 0 && close(explicit.end, 5.2));
  const flipped = fitDataRange({ flipped: true }, 1, 5);
  assert.ok(close(flipped.start, 5.2) && close(flipped.end, 0.8));
  const none = fitDataRange({}, NaN, NaN);
  assert.ok(Number.isNaN(none.start) && Number.isNaN(none.end));
});

// ---------------------------------------------------------------- M4

/** For each pixel column: the [min, max] of y over the segments drawn in it. */
function columnExtents(x, y, length) {
  const extents = new Map();
  const add = (column, a, b) => {
    const [lo, hi] = extents.get(column) || [Infinity, -Infinity];
    extents.set(column, [Math.min(lo, a, b), Math.max(hi, a, b)]);
  };
  for (let i = 0; i < length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) continue;
    add(Math.floor(x[i]), y[i], y[i]);
  }
  return extents;
}

test('M4 keeps first, extremes and last of every pixel column, in data order', () => {
  // 5 points in column 0, 3 in column 1.
  const sx = new Float64Array([0.1, 0.2, 0.5, 0.7, 0.9, 1.1, 1.5, 1.9]);
  const sy = new Float64Array([5, 9, 1, 4, 6, 3, 8, 2]);
  const { x, y, length } = reduceLine(sx, sy);
  assert.deepEqual(Array.from(y.slice(0, length)), [5, 9, 1, 6, 3, 8, 2]);
  assert.deepEqual(Array.from(x.slice(0, length)), [0.1, 0.2, 0.5, 0.9, 1.1, 1.5, 1.9]);
});

test('M4 on a million points: few points out, every column keeps its extent, gaps stay', () => {
  const n = 1_000_000;
  const sx = new Float64Array(n);
  const sy = new Float64Array(n);
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < n; i++) {
    sx[i] = (i / n) * 600;
    sy[i] = random() * 400;
  }
  sy[500_000] = NaN; // a gap
  const reduced = reduceLine(sx, sy);
  assert.ok(reduced.length <= 4 * 600 + 8, `${reduced.length} points`);
  const before = columnExtents(sx, sy, n);
  const after = columnExtents(reduced.x, reduced.y, reduced.length);
  assert.equal(after.size, before.size);
  for (const [column, extent] of before) assert.deepEqual(after.get(column), extent);
  const breaks = Array.from(reduced.x.slice(0, reduced.length)).filter(Number.isNaN).length;
  assert.equal(breaks, 1);
  // HiDPI: columns are device pixels, so twice as many survive at ratio 2.
  assert.ok(reduceLine(sx, sy, 2).length > reduced.length * 1.5);
});

test('reduceSorted: a time series reduced by scanning y only, exactly as point by point', async () => {
  const { reduceMapped, reduceSorted } = await import('../../plotserver/static/js/core/m4.js');
  let seed = 11;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const same = (a, b, what) => {
    assert.equal(a.length, b.length, what);
    assert.deepEqual(Array.from(a.x.slice(0, a.length)), Array.from(b.x.slice(0, b.length)), what);
    assert.deepEqual(Array.from(a.y.slice(0, a.length)), Array.from(b.y.slice(0, b.length)), what);
  };
  for (const n of [3000, 300_000]) {
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = Math.floor(i / 3) * 0.7; // non-decreasing, with repeated values
      y[i] = i % 500 < 250 ? random() * 10 : Math.round(Math.sin(i / 300) * 5); // ties too
    }
    for (const [xs, ys] of [
      [new LinearScale(0, x[n - 1], 40, 640), new LinearScale(-6, 11, 440, 40)],
      [new LinearScale(x[n - 1], 0, 40, 640), new LinearScale(-6, 11, 40, 440)], // both flipped
      [new LinearScale(x[n - 1] * 0.4, x[n - 1] * 0.45, 40, 640), new LinearScale(0, 1, 440, 40)],
    ]) {
      for (const ratio of [1, 2]) {
        const what = `n ${n} x ${xs.offset},${xs.factor} ratio ${ratio}`;
        const plain = reduceLine(xs.mapArray(x), ys.mapArray(y), ratio);
        const fast = reduceSorted(x, y, xs.offset, xs.factor, ys.offset, ys.factor, ratio);
        assert.ok(fast, what);
        same(fast, plain, what);
        same(reduceMapped(x, y, xs, ys, ratio), plain, what);
      }
    }
  }
  // A gap in y, or x going back: the point-by-point pass draws it.
  const xs = new LinearScale(0, 10, 0, 100);
  const ys = new LinearScale(0, 10, 100, 0);
  const x = new Float64Array([1, 2, 3, 4]);
  const gap = new Float64Array([1, NaN, 3, 4]);
  assert.equal(reduceSorted(x, gap, xs.offset, xs.factor, ys.offset, ys.factor), null);
  same(reduceMapped(x, gap, xs, ys), reduceLine(xs.mapArray(x), ys.mapArray(gap)), 'gap');
  const back = new Float64Array([1, 3, 2, 4]);
  same(reduceMapped(back, x, xs, ys), reduceLine(xs.mapArray(back), ys.mapArray(x)), 'x going back');
});

test('SortedLine: an indexed time series reduces exactly like the point-by-point pass', async () => {
  const { SortedLine, reduceMapped } = await import('../../plotserver/static/js/core/m4.js');
  let seed = 3;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (const n of [5000, 200_000]) {
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i * 0.5 + (i % 7 === 0 ? 0 : 0.25); // non-decreasing, with repeats of spacing
      y[i] = i % 1000 < 500 ? random() * 10 : Math.sin(i / 300) * 5;
    }
    const line = SortedLine.of(x, y);
    assert.ok(line);
    for (const [start, end] of [[0, x[n - 1]], [x[n - 1] * 0.3, x[n - 1] * 0.6]]) {
      for (const ratio of [1, 2]) {
        const xs = new LinearScale(start, end, 40, 640);
        const ys = new LinearScale(-6, 11, 440, 40);
        const fast = line.reduce(xs, ys, ratio, 40, 640);
        // The plain pass over the rows that reach the frame (plus one row each side).
        const from = Math.max(0, x.findIndex((v) => xs.map(v) >= 40) - 1);
        let to = x.findIndex((v) => xs.map(v) > 640);
        to = to < 0 ? n - 1 : to;
        const plain = reduceMapped(x.subarray(from, to + 1), y.subarray(from, to + 1), xs, ys, ratio);
        assert.equal(fast.length, plain.length, `n ${n} window ${start}..${end} ratio ${ratio}`);
        assert.deepEqual(Array.from(fast.x.slice(0, fast.length)), Array.from(plain.x.slice(0, plain.length)));
        assert.deepEqual(Array.from(fast.y.slice(0, fast.length)), Array.from(plain.y.slice(0, plain.length)));
      }
    }
  }
  // Lines that do not qualify: x going back, or a gap.
  assert.equal(SortedLine.of(new Float64Array([0, 2, 1]), new Float64Array([1, 1, 1])), null);
  assert.equal(SortedLine.of(new Float64Array([0, 1, 2]), new Float64Array([1, NaN, 1])), null);
});

test('visuals: a per-row colour makes items differ; withAlpha sets every alpha', async () => {
  const { FillVisual } = await import('../../plotserver/static/js/core/visuals.js');
  const data = { c: ['red', null, 'blue'], a: [0.5, 1, 1] };
  const fill = new FillVisual({ fill_color: { field: 'c' }, fill_alpha: { field: 'a' } }, '', undefined, data, true);
  assert.equal(fill.isConstant, false);
  assert.deepEqual([0, 1, 2].map((i) => fill.visibleAt(i)), [true, false, true]);
  const dim = fill.withAlpha(0.2);
  assert.deepEqual([0, 2].map((i) => dim.value('alpha', i)), [0.2, 0.2]);
  assert.equal(dim.value('color', 2), 'blue');
  assert.equal(fill.value('alpha', 0), 0.5, 'the original is unchanged');
  const off = new FillVisual({ fill_color: null }, '', undefined, data, true);
  assert.equal(off.doit, false);
});

test('columnStats: extremes, finiteness and order of a typed column, found once per column', async () => {
  const { columnStats } = await import('../../plotserver/static/js/core/column_stats.js');
  const x = new Float64Array([1, 2, 2, 5]);
  assert.deepEqual(columnStats(x), { min: 1, max: 5, finite: true, sorted: true });
  assert.equal(columnStats(x), columnStats(x)); // remembered
  assert.deepEqual(columnStats(new Float64Array([3, -1, 4])), { min: -1, max: 4, finite: true, sorted: false });
  assert.deepEqual(columnStats(new Float64Array([1, NaN, 3])), { min: 1, max: 3, finite: false, sorted: false });
  assert.deepEqual(columnStats(new Float64Array([1, Infinity])), { min: 1, max: 1, finite: false, sorted: false });
  assert.equal(columnStats([1, 2, 3]), null); // plain lists may change under the same identity
});
