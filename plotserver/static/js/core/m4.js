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
    return reduce(x, y, xscale.offset, xscale.factor, yscale.offset, yscale.factor, pixelsPerUnit);
  }
  return reduceLine(xscale.mapArray(x), yscale.mapArray(y), pixelsPerUnit);
}

/** The reduction of the points (ox + x[i] * fx, oy + y[i] * fy). */
function reduce(xs, ys, ox, fx, oy, fy, pixelsPerUnit) {
  const n = Math.min(xs.length, ys.length);
  // Each run of k points yields at most min(k, 4) points and each break one
  // marker, so the output never exceeds the input.
  const outX = new Float64Array(Math.min(n, 4096));
  const outY = new Float64Array(outX.length);
  let out = { x: outX, y: outY };
  let m = 0;
  const push = (px, py) => {
    if (m === out.x.length) out = grow(out, n);
    out.x[m] = px;
    out.y[m] = py;
    m += 1;
  };

  let runColumn = NaN;
  let firstX = 0; let firstY = 0; let first = -1;
  let lowX = 0; let lowY = 0; let low = -1;
  let highX = 0; let highY = 0; let high = -1;
  let lastX = 0; let lastY = 0; let last = -1;
  let broken = true; // last thing emitted was a break (or nothing yet)

  const flush = () => {
    if (first < 0) return;
    push(firstX, firstY);
    // Screen y grows downward: "low" is the largest y, "high" the smallest;
    // only their order in the data matters for the picture.
    if (low <= high) {
      if (low !== first && low !== last) push(lowX, lowY);
      if (high !== first && high !== last && high !== low) push(highX, highY);
    } else {
      if (high !== first && high !== last) push(highX, highY);
      if (low !== first && low !== last) push(lowX, lowY);
    }
    if (last !== first) push(lastX, lastY);
    first = -1;
    broken = false;
  };

  for (let i = 0; i < n; i++) {
    const px = ox + xs[i] * fx;
    const py = oy + ys[i] * fy;
    // (px - px) is NaN for NaN and +-Infinity: one test for "not finite".
    if (px - px !== 0 || py - py !== 0) {
      flush();
      if (!broken) {
        push(NaN, NaN);
        broken = true;
      }
      runColumn = NaN;
      continue;
    }
    const column = Math.floor(px * pixelsPerUnit);
    if (first >= 0 && column === runColumn) {
      if (py > lowY) { low = i; lowX = px; lowY = py; }
      if (py < highY) { high = i; highX = px; highY = py; }
      last = i; lastX = px; lastY = py;
    } else {
      flush();
      runColumn = column;
      first = low = high = last = i;
      firstX = lowX = highX = lastX = px;
      firstY = lowY = highY = lastY = py;
    }
  }
  flush();
  return { x: out.x, y: out.y, length: m };
}

function grow({ x, y }, limit) {
  const size = Math.min(limit, x.length * 2);
  const nx = new Float64Array(size);
  const ny = new Float64Array(size);
  nx.set(x);
  ny.set(y);
  return { x: nx, y: ny };
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
