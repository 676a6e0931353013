// spatial.js - a static spatial index of item boxes (a packed R-tree).
// Pure module.
//
// Hover and tap/box/lasso selection ask "which items touch this box" of
// glyphs with up to a million rows, and must answer in well under 2 ms.
// A glyph renderer builds one SpatialIndex per data change, in data
// coordinates (a screen box maps to a data box through the monotonic
// scales), and queries it as often as the pointer moves.
//
// Build: items are ordered along a Hilbert curve through their box centres,
// so that items next to each other in that order are also close on the
// plot; consecutive runs of NODE items then become the leaves, runs of NODE
// leaves their parents, and so on up to one root.  Nothing is ever inserted
// or removed, so the tree is one flat Float64Array of boxes plus one
// Uint32Array of item numbers / child positions, level after level.
// Query: a depth-first walk that skips every node whose box misses the
// query box and takes whole subtrees whose box lies inside it.

const NODE = 16; // children per node: 16 boxes are a few cache lines, and the tree stays shallow
const GRID = 0xffff; // Hilbert cells per axis - 1 (16 bits per axis, a 32-bit key)
const MAX_REFINE = 4; // how often a run of equal keys is re-sorted on a finer grid

// The Hilbert curve one bit level at a time: the quadrant (rx, ry) of a
// cell, seen in the frame the curve has reached, gives two digits of its
// position, (3 * rx) ^ ry; entering a lower quadrant (ry = 0) turns the
// frame: a swap of x and y, plus a flip of both when rx = 1.  Swaps and
// flips commute, so a frame is two bits (swapped, flipped).  HILBERT holds
// four bit levels per lookup: index frame << 8 | x nibble << 4 | y nibble,
// value frame after << 8 | the 8 digits.  Four lookups make a 32-bit key.
const HILBERT = new Uint16Array(4 << 8);
for (let frame = 0; frame < 4; frame++) {
  for (let xy = 0; xy < 256; xy++) {
    let swapped = frame >> 1; let flipped = frame & 1; let digits = 0;
    for (let bit = 3; bit >= 0; bit--) {
      let rx = (xy >> (4 + bit)) & 1; let ry = (xy >> bit) & 1;
      if (swapped) { const t = rx; rx = ry; ry = t; }
      if (flipped) { rx ^= 1; ry ^= 1; }
      digits = (digits << 2) | ((3 * rx) ^ ry);
      if (ry === 0) { swapped ^= 1; flipped ^= rx; }
    }
    HILBERT[(frame << 8) | xy] = (((swapped << 1) | flipped) << 8) | digits;
  }
}

/** Position along the Hilbert curve of cell (x, y) of a 2^16 x 2^16 grid. */
function hilbert(x, y) {
  let entry = HILBERT[((x >>> 8) & 0xf0) | (y >>> 12)];
  let d = entry & 0xff;
  entry = HILBERT[(entry & 0x300) | ((x >>> 4) & 0xf0) | ((y >>> 8) & 0xf)];
  d = (d << 8) | (entry & 0xff);
  entry = HILBERT[(entry & 0x300) | (x & 0xf0) | ((y >>> 4) & 0xf)];
  d = (d << 8) | (entry & 0xff);
  entry = HILBERT[(entry & 0x300) | ((x << 4) & 0xf0) | (y & 0xf)];
  return ((d << 8) | (entry & 0xff)) >>> 0;
}

/**
 * Hilbert keys of the items order[from..to), over the bounds of their own
 * centres (so a re-sort of a tight cluster uses a grid that fits it).
 * Returns false when all those centres coincide: no order is better then.
 */
function hilbertKeys(minX, maxX, minY, maxY, order, keys, from, to) {
  let x0 = Infinity; let x1 = -Infinity; let y0 = Infinity; let y1 = -Infinity;
  for (let i = from; i < to; i++) {
    const j = order[i];
    const cx = minX[j] * 0.5 + maxX[j] * 0.5; // halves first: no overflow near 1e308
    const cy = minY[j] * 0.5 + maxY[j] * 0.5;
    if (cx < x0) x0 = cx; if (cx > x1) x1 = cx;
    if (cy < y0) y0 = cy; if (cy > y1) y1 = cy;
  }
  if (!(x1 > x0) && !(y1 > y0)) return false;
  // A zero (or overflowing) extent gives factor 0 and cell 0 on that axis.
  const fx = x1 > x0 ? GRID / (x1 - x0) : 0;
  const fy = y1 > y0 ? GRID / (y1 - y0) : 0;
  for (let i = from; i < to; i++) {
    const j = order[i];
    const gx = ((minX[j] * 0.5 + maxX[j] * 0.5 - x0) * fx) >>> 0;
    const gy = ((minY[j] * 0.5 + maxY[j] * 0.5 - y0) * fy) >>> 0;
    keys[i] = hilbert(gx > GRID ? GRID : gx, gy > GRID ? GRID : gy);
  }
  return true;
}

/**
 * LSD radix sort of keys[from..to) carrying order along, through the
 * scratch arrays.  An even number of passes leaves the result in place.
 * Small ranges use 8-bit digits so that clearing the counts stays cheap.
 */
function radixSort(keys, order, tmpKeys, tmpOrder, counts, from, to) {
  const bits = to - from > 4096 ? 16 : 8;
  const mask = (1 << bits) - 1;
  let srcK = keys; let srcO = order; let dstK = tmpKeys; let dstO = tmpOrder;
  for (let shift = 0; shift < 32; shift += bits) {
    counts.fill(0, 0, mask + 1);
    for (let i = from; i < to; i++) counts[(srcK[i] >>> shift) & mask]++;
    let sum = from;
    for (let d = 0; d <= mask; d++) { const c = counts[d]; counts[d] = sum; sum += c; }
    for (let i = from; i < to; i++) {
      const at = counts[(srcK[i] >>> shift) & mask]++;
      dstK[at] = srcK[i]; dstO[at] = srcO[i];
    }
    let t = srcK; srcK = dstK; dstK = t;
    t = srcO; srcO = dstO; dstO = t;
  }
}

/**
 * Item numbers of the n finite items in Hilbert order.  Runs of more than
 * NODE equal keys (a cluster inside one cell) are sorted again over their
 * own extent, a bounded number of times.
 */
function hilbertOrder(minX, maxX, minY, maxY, order, n) {
  const keys = new Uint32Array(n);
  const tmpKeys = new Uint32Array(n);
  const tmpOrder = new Uint32Array(n);
  const counts = new Uint32Array(GRID + 1);
  const work = [0, n, 0];
  while (work.length > 0) {
    const depth = work.pop(); const to = work.pop(); const from = work.pop();
    if (!hilbertKeys(minX, maxX, minY, maxY, order, keys, from, to)) continue;
    radixSort(keys, order, tmpKeys, tmpOrder, counts, from, to);
    if (depth === MAX_REFINE) continue;
    for (let i = from; i < to;) {
      let j = i + 1;
      while (j < to && keys[j] === keys[i]) j++;
      if (j - i > NODE) work.push(i, j, depth + 1);
      i = j;
    }
  }
}

export class SpatialIndex {
  /**
   * Item boxes in data coordinates (equal-length arrays; for points pass
   * xs, xs, ys, ys).  Items with a non-finite coordinate are left out.  The
   * arrays are copied: the caller may change them afterwards.
   */
  constructor(minX, maxX, minY, maxY) {
    const len = minX.length;
    if (maxX.length !== len || minY.length !== len || maxY.length !== len) {
      throw new RangeError('SpatialIndex: coordinate arrays differ in length');
    }
    const order = new Uint32Array(len);
    let n = 0;
    for (let i = 0; i < len; i++) {
      // x - x is 0 for a finite x and NaN for NaN and +-Infinity.
      if (minX[i] - minX[i] === 0 && maxX[i] - maxX[i] === 0
          && minY[i] - minY[i] === 0 && maxY[i] - maxY[i] === 0) order[n++] = i;
    }
    // Level sizes: n entries, then ceil(n / NODE) nodes per level up to one root.
    const ends = [n];
    for (let count = n; n > 0 && (count > 1 || ends.length === 1);) {
      count = Math.ceil(count / NODE);
      ends.push(ends[ends.length - 1] + count);
    }
    const total = ends[ends.length - 1];
    this._n = n;
    this._ends = ends; // level L occupies positions [L ? ends[L - 1] : 0, ends[L])
    this._boxes = new Float64Array(4 * total); // minX, minY, maxX, maxY per entry
    this._ids = new Uint32Array(total); // leaves: item number; nodes: first child position
    this._stack = new Uint32Array(2 * NODE * ends.length + 2);
    if (n === 0) return;
    hilbertOrder(minX, maxX, minY, maxY, order, n);
    this._fillLeaves(minX, maxX, minY, maxY, order);
    for (let level = 1; level < ends.length; level++) this._buildLevel(level);
  }

  /** The leaf entries: item boxes and numbers in Hilbert order. */
  _fillLeaves(minX, maxX, minY, maxY, order) {
    const boxes = this._boxes; const ids = this._ids;
    for (let p = 0, k = 0; p < this._n; p++, k += 4) {
      // A box given with its ends swapped is put right here; the ordering
      // only looked at its centre, which the swap does not change.
      const i = order[p]; const a = minX[i]; const b = maxX[i]; const c = minY[i]; const d = maxY[i];
      boxes[k] = a < b ? a : b; boxes[k + 2] = a < b ? b : a;
      boxes[k + 1] = c < d ? c : d; boxes[k + 3] = c < d ? d : c;
      ids[p] = i;
    }
  }

  /** Each node of `level` gets the union box of its NODE children below. */
  _buildLevel(level) {
    const boxes = this._boxes; const ids = this._ids; const ends = this._ends;
    const childEnd = ends[level - 1];
    let child = level > 1 ? ends[level - 2] : 0;
    for (let node = childEnd; node < ends[level]; node++) {
      const last = Math.min(child + NODE, childEnd);
      let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
      ids[node] = child;
      for (let k = 4 * child; child < last; child++, k += 4) {
        x0 = Math.min(x0, boxes[k]); y0 = Math.min(y0, boxes[k + 1]);
        x1 = Math.max(x1, boxes[k + 2]); y1 = Math.max(y1, boxes[k + 3]);
      }
      boxes[4 * node] = x0; boxes[4 * node + 1] = y0; boxes[4 * node + 2] = x1; boxes[4 * node + 3] = y1;
    }
  }

  /** Number of indexed (finite) items. */
  get size() { return this._n; }

  /** {minX, maxX, minY, maxY} of all indexed items (the root's box), or null. */
  get bounds() {
    if (this._n === 0) return null;
    const b = this._boxes; const k = 4 * (this._ids.length - 1);
    return { minX: b[k], maxX: b[k + 2], minY: b[k + 1], maxY: b[k + 3] };
  }

  /**
   * Item numbers (any order) of every item whose box meets the closed box
   * [x0, x1] x [y0, y1] (reversed corners are put right; a NaN corner finds
   * nothing).  Allocates only for the result.
   */
  search(x0, x1, y0, y1) {
    if (x0 > x1) { const t = x0; x0 = x1; x1 = t; }
    if (y0 > y1) { const t = y0; y0 = y1; y1 = t; }
    const n = this._n; const boxes = this._boxes; const ids = this._ids; const ends = this._ends;
    const root = ids.length - 1; const k = 4 * root;
    // Written so that a NaN corner fails it: every comparison with NaN is false.
    if (n === 0 || !(boxes[k] <= x1 && boxes[k + 2] >= x0 && boxes[k + 1] <= y1 && boxes[k + 3] >= y0)) {
      return new Uint32Array(0);
    }
    if (x0 <= boxes[k] && boxes[k + 2] <= x1 && y0 <= boxes[k + 1] && boxes[k + 3] <= y1) {
      return ids.slice(0, n);
    }
    let out = new Uint32Array(Math.min(n, 256)); let count = 0;
    const stack = this._stack; let sp = 0;
    stack[sp++] = root; stack[sp++] = ends.length - 1;
    while (sp > 0) {
      const level = stack[--sp]; const node = stack[--sp];
      const first = ids[node]; const last = Math.min(first + NODE, ends[level - 1]);
      for (let c = first, b = 4 * first; c < last; c++, b += 4) {
        if (boxes[b] > x1 || boxes[b + 2] < x0 || boxes[b + 1] > y1 || boxes[b + 3] < y0) continue;
        if (level === 1) {
          if (count === out.length) out = grown(out, count + 1);
          out[count++] = ids[c];
        } else if (x0 <= boxes[b] && boxes[b + 2] <= x1 && y0 <= boxes[b + 1] && boxes[b + 3] <= y1) {
          // Inside the query: its whole subtree is one run of leaf entries,
          // because every level is laid out in the order of the one below.
          const span = NODE ** (level - 1);
          const from = (c - ends[level - 2]) * span; const to = Math.min(from + span, n);
          if (count + to - from > out.length) out = grown(out, count + to - from);
          out.set(ids.subarray(from, to), count);
          count += to - from;
        } else {
          stack[sp++] = c; stack[sp++] = level - 1;
        }
      }
    }
    return count === out.length ? out : out.slice(0, count);
  }
}

/** A copy of `array` with room for at least `need` entries (doubling). */
function grown(array, need) {
  const bigger = new Uint32Array(Math.max(need, 2 * array.length));
  bigger.set(array);
  return bigger;
}
