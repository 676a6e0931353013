// m4.js - reduce a long polyline to what can be seen (the M4 method).
// Pure module.
//
// Consecutive points that fall into the same pixel column are replaced by
// at most four of them: the first, the lowest, the highest and the last
// (lowest and highest in the order they occur).  Stroking the reduced line
// covers the same pixels as stroking every point: inside one column the
// line only moves up and down between its extremes, and it enters and
// leaves the column at the first and last point.  A million points thus
// cost about as much to draw as four points per pixel column.
//
// Non-finite points break the line; the output marks a break with NaN.

import { columnStats } from './column_stats.js';

/**
 * sx, sy: screen coordinates (CSS px); pixelsPerUnit: device pixels per
 * CSS px (the reduction works on device pixel columns).  Returns
 * {x, y, length}: typed arrays whose first `length` entries are the reduced
 * points (NaN in x = break).
 */
export function reduceLine(sx, sy, pixelsPerUnit = 1) {
  return reduce(sx, sy, 0, 1, 0, 1, pixelsPerUnit);
}

/**
 * The same from data coordinates and two scales, mapping each point on the
 * way (no million-entry screen arrays are allocated when both scales are
 * linear, which is what keeps a redraw after a resize cheap).
 */
export function reduceMapped(x, y, xscale, yscale, pixelsPerUnit = 1) {
  if (xscale.linear && yscale.linear) {
    const args = [x, y, xscale.offset, xscale.factor, yscale.offset, yscale.factor, pixelsPerUnit];
    return (x.length === y.length && sortedAndFinite(x) && reduceSorted(...args)) || reduce(...args);
  }
  return reduceLine(xscale.mapArray(x), yscale.mapArray(y), pixelsPerUnit);
}

/** A typed x column that never decreases and holds only finite numbers. */
function sortedAndFinite(x) {
  const stats = columnStats(x);
  return stats !== null && stats.sorted;
}

/**
 * reduce() for an x column that never decreases (a time series, the common
 * long line): the rows of each pixel column are found by galloping and
 * bisection on x, and only y is scanned row by row.  The output is exactly
 * reduce()'s: the same screen values, compared the same way.  Null when a
 * y value is not finite (reduce() then draws the break).
 */
export function reduceSorted(xs, ys, ox, fx, oy, fy, pixelsPerUnit = 1) {
  const n = xs.length;
  if (n === 0) return null;
  // Screen x is monotonic in the row: finite at both ends, finite everywhere.
  const ends = (ox + xs[0] * fx) + (ox + xs[n - 1] * fx);
  if (ends - ends !== 0) return null;
  const column = (i) => Math.floor((ox + xs[i] * fx) * pixelsPerUnit);
  let outX = new Float64Array(Math.min(n, 4096));
  let outY = new Float64Array(outX.length);
  let m = 0;
  for (let first = 0; first < n;) {
    const c = column(first);
    let lo = first;
    let hi = first + 1;
    for (let step = 1; hi < n && column(hi) === c; step *= 2) {
      lo = hi;
      hi = first + step * 2;
    }
    if (hi > n) hi = n;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (column(mid) === c) lo = mid; else hi = mid;
    }
    const last = lo;
    // Screen y grows down: "low" is the largest screen y, as in reduce().
    const firstY = oy + ys[first] * fy;
    if (firstY - firstY !== 0) return null;
    let low = first; let lowY = firstY;
    let high = first; let highY = firstY;
    for (let k = first + 1; k <= last; k++) {
      const py = oy + ys[k] * fy;
      if (py - py !== 0) return null;
      if (py > lowY) { low = k; lowY = py; }
      if (py < highY) { high = k; highY = py; }
    }
    if (m + 4 > outX.length && outX.length < n) {
      const size = Math.min(n, outX.length * 2);
      outX = grown(outX, size);
      outY = grown(outY, size);
    }
    outX[m] = ox + xs[first] * fx; outY[m] = firstY; m += 1;
    const a = Math.min(low, high);
    const b = Math.max(low, high);
    if (a !== first && a !== last) { outX[m] = ox + xs[a] * fx; outY[m] = oy + ys[a] * fy; m += 1; }
    if (b !== first && b !== last && b !== a) { outX[m] = ox + xs[b] * fx; outY[m] = oy + ys[b] * fy; m += 1; }
    if (last !== first) { outX[m] = ox + xs[last] * fx; outY[m] = oy + ys[last] * fy; m += 1; }
    first = last + 1;
  }
  return { x: outX, y: outY, length: m };
}

/**
 * The reduction of the points (ox + x[i] * fx, oy + y[i] * fy).  One flat
 * loop with all state in locals (no closures): this runs over a million
 * points per redraw.
 */
function reduce(xs, ys, ox, fx, oy, fy, pixelsPerUnit) {
  const n = Math.min(xs.length, ys.length);
  // A run of k points yields at most min(k, 4) points and each break one
  // marker: the output never exceeds the input, and is usually far smaller.
  let outX = new Float64Array(Math.min(n, 4096));
  let outY = new Float64Array(outX.length);
  let m = 0;
  let broken = true; // the last thing emitted was a break (or nothing yet)
  let runColumn = NaN;
  let first = -1; let firstX = 0; let firstY = 0;
  let low = -1; let lowX = 0; let lowY = 0; // screen y grows down: the largest y
  let high = -1; let highX = 0; let highY = 0; // the smallest y
  let last = -1; let lastX = 0; let lastY = 0;

  // i === n is one extra step that only ends the last run.
  for (let i = 0; i <= n; i++) {
    let px = NaN;
    let py = NaN;
    let column = NaN;
    if (i < n) {
      px = ox + xs[i] * fx;
      py = oy + ys[i] * fy;
      // (v - v) is NaN for NaN and +-Infinity: one test for "not finite".
      if (px - px === 0 && py - py === 0) column = Math.floor(px * pixelsPerUnit);
    }
    if (first >= 0 && column === runColumn) { // still in the current column
      if (py > lowY) { low = i; lowX = px; lowY = py; }
      if (py < highY) { high = i; highX = px; highY = py; }
      last = i; lastX = px; lastY = py;
      continue;
    }
    if (m + 5 > outX.length) { // room for one run and a break
      const size = Math.min(n + 1, outX.length * 2);
      outX = grown(outX, size);
      outY = grown(outY, size);
    }
    if (first >= 0) { // the run ends: first, the extremes in data order, last
      outX[m] = firstX; outY[m] = firstY; m += 1;
      const lowFirst = low <= high;
      const a = lowFirst ? low : high;
      const b = lowFirst ? high : low;
      if (a !== first && a !== last) {
        outX[m] = lowFirst ? lowX : highX; outY[m] = lowFirst ? lowY : highY; m += 1;
      }
      if (b !== first && b !== last && b !== a) {
        outX[m] = lowFirst ? highX : lowX; outY[m] = lowFirst ? highY : lowY; m += 1;
      }
      if (last !== first) { outX[m] = lastX; outY[m] = lastY; m += 1; }
      first = -1;
      broken = false;
    }
    if (i === n) break;
    if (column !== column) { // not finite: a break in the line
      if (!broken) { outX[m] = NaN; outY[m] = NaN; m += 1; broken = true; }
      runColumn = NaN;
      continue;
    }
    runColumn = column;
    first = low = high = last = i;
    firstX = lowX = highX = lastX = px;
    firstY = lowY = highY = lastY = py;
  }
  return { x: outX, y: outY, length: m };
}

/** A copy of `values` in a larger array of `size` entries. */
function grown(values, size) {
  const larger = new Float64Array(size);
  larger.set(values);
  return larger;
}

/** Trace a (possibly reduced) polyline with NaN breaks onto a canvas path. */
export function tracePolyline(ctx, x, y, length = x.length) {
  let pen = false;
  for (let i = 0; i < length; i++) {
    const px = x[i];
    const py = y[i];
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      pen = false;
    } else if (pen) {
      ctx.lineTo(px, py);
    } else {
      ctx.moveTo(px, py);
      pen = true;
    }
  }
}

/**
 * A long line whose x values never decrease (a time series, the common
 * case), indexed once per data change so that each later redraw - after a
 * resize, and while panning or zooming - costs a few thousand steps however
 * many points it has.  A segment tree keeps, for any range of rows, the row
 * of the lowest and of the highest y; binary searches find where each pixel
 * column starts.  The result is exactly what reduce() gives for the same
 * points.  `SortedLine.of(x, y)` is null when the line does not qualify
 * (x decreasing somewhere, or a non-finite value: those lines are reduced
 * point by point instead).
 */
export class SortedLine {
  static of(x, y) {
    const n = Math.min(x.length, y.length);
    if (n < 2) return null;
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      const yi = y[i];
      if (xi - xi !== 0 || yi - yi !== 0) return null;
      if (i > 0 && xi < x[i - 1]) return null;
    }
    return new SortedLine(x, y, n);
  }

  constructor(x, y, n) {
    this.x = x;
    this.y = y;
    this.n = n;
    // Bottom-up segment tree: leaves at [n, 2n), node k covers its children 2k, 2k + 1.
    const lowest = new Int32Array(2 * n);
    const highest = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) lowest[n + i] = highest[n + i] = i;
    for (let k = n - 1; k > 0; k--) {
      const a = lowest[2 * k];
      const b = lowest[2 * k + 1];
      lowest[k] = y[b] < y[a] ? b : a;
      const c = highest[2 * k];
      const d = highest[2 * k + 1];
      highest[k] = y[d] > y[c] ? d : c;
    }
    this.lowest = lowest;
    this.highest = highest;
  }

  /** Rows of the smallest and the largest y among rows from..to (inclusive). */
  extremes(from, to) {
    const { y, lowest, highest, n } = this;
    let min = from;
    let max = from;
    for (let l = from + n, r = to + n + 1; l < r; l >>= 1, r >>= 1) {
      if (l & 1) {
        if (y[lowest[l]] < y[min]) min = lowest[l];
        if (y[highest[l]] > y[max]) max = highest[l];
        l += 1;
      }
      if (r & 1) {
        r -= 1;
        if (y[lowest[r]] < y[min]) min = lowest[r];
        if (y[highest[r]] > y[max]) max = highest[r];
      }
    }
    return [min, max];
  }

  /**
   * The reduced screen path for linear scales (see reduceMapped), limited
   * to the rows that reach the horizontal pixel span [left, right] plus one
   * row on each side (the segments that cross its edges).
   */
  reduce(xscale, yscale, pixelsPerUnit, left, right) {
    const { x, y, n } = this;
    const ox = xscale.offset;
    const fx = xscale.factor;
    const oy = yscale.offset;
    const fy = yscale.factor;
    const column = (i) => Math.floor((ox + x[i] * fx) * pixelsPerUnit);
    // Screen x is monotonic in the row (rising, or falling on a flipped range).
    const rising = fx >= 0;
    const firstAfter = (limit, beyond) => { // first row whose px is beyond `limit`
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const px = ox + x[mid] * fx;
        if (beyond(px, limit)) hi = mid; else lo = mid + 1;
      }
      return lo;
    };
    const start = Math.max(0, (rising ? firstAfter(left, (p, l) => p >= l)
      : firstAfter(right, (p, r) => p <= r)) - 1);
    const end = Math.min(n - 1, (rising ? firstAfter(right, (p, r) => p > r)
      : firstAfter(left, (p, l) => p < l)));
    const outX = [];
    const outY = [];
    const emit = (i) => {
      outX.push(ox + x[i] * fx);
      outY.push(oy + y[i] * fy);
    };
    for (let i = start; i <= end;) {
      // The last row in the same pixel column as row i: gallop, then bisect.
      const c = column(i);
      let step = 1;
      let lo = i;
      let hi = i + 1;
      while (hi <= end && column(hi) === c) {
        lo = hi;
        step *= 2;
        hi = i + step;
      }
      hi = Math.min(hi, end + 1);
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (column(mid) === c) lo = mid; else hi = mid;
      }
      const last = lo;
      // Extremes of the screen y: the canvas y axis points down, so a
      // negative factor swaps which data extreme is the top.
      const [min, max] = this.extremes(i, last);
      const a = Math.min(min, max);
      const b = Math.max(min, max);
      emit(i);
      if (a !== i && a !== last) emit(a);
      if (b !== i && b !== last && b !== a) emit(b);
      if (last !== i) emit(last);
      i = last + 1;
    }
    return { x: Float64Array.from(outX), y: Float64Array.from(outY), length: outX.length };
  }
}
