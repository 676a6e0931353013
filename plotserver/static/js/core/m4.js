// m4.js - reduce a long polyline to what can be seen (the M4 method).
// Pure module.
//
// Consecutive points that fall into the same pixel column are replaced by
// at most four of them: the first, the lowest, the highest and the last
// (lowest and highest in the order they occur).  Stroking the reduced line
// lights the same pixels as stroking every point: inside one column the
// line only moves up and down between its extremes, and it enters and
// leaves the column at the first and last point.  A million points thus
// cost about as much to draw as four points per pixel column.
//
// Non-finite points break the line; the output marks a break with NaN.

/**
 * sx, sy: screen coordinates (CSS px); pixelsPerUnit: device pixels per
 * CSS px (the reduction works on device pixel columns).  Returns
 * {x, y, length}: typed arrays whose first `length` entries are the reduced
 * points (NaN in x = break).
 */
export function reduceLine(sx, sy, pixelsPerUnit = 1) {
  const n = Math.min(sx.length, sy.length);
  // Each run of k points yields at most min(k, 4) points and each break one
  // marker, so the output never exceeds the input.
  const outX = new Float64Array(n);
  const outY = new Float64Array(n);
  let m = 0;
  let runColumn = NaN;
  let first = -1;
  let low = -1;
  let high = -1;
  let last = -1;
  let broken = true; // last thing emitted was a break (or nothing yet)

  const emit = (i) => {
    outX[m] = sx[i];
    outY[m] = sy[i];
    m += 1;
  };
  const flush = () => {
    if (first < 0) return;
    emit(first);
    // Screen y grows downward: "low" is the largest y, "high" the smallest;
    // only their order in the data matters for the picture.
    const a = Math.min(low, high);
    const b = Math.max(low, high);
    if (a !== first && a !== last) emit(a);
    if (b !== first && b !== last && b !== a) emit(b);
    if (last !== first) emit(last);
    first = -1;
    broken = false;
  };

  for (let i = 0; i < n; i++) {
    const x = sx[i];
    const y = sy[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      flush();
      if (!broken) {
        outX[m] = NaN;
        outY[m] = NaN;
        m += 1;
        broken = true;
      }
      runColumn = NaN;
      continue;
    }
    const column = Math.floor(x * pixelsPerUnit);
    if (first >= 0 && column === runColumn) {
      if (y > sy[low]) low = i;
      if (y < sy[high]) high = i;
      last = i;
    } else {
      flush();
      runColumn = column;
      first = low = high = last = i;
    }
  }
  flush();
  return { x: outX, y: outY, length: m };
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
