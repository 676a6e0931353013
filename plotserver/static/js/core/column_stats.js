// column_stats.js - facts about a typed numeric column (its smallest and
// largest value, whether all values are finite, whether it never
// decreases), found in one pass and remembered per column object.  A stream
// that replaces y keeps its x column (the same object: document.js
// keepUnchanged), so every later push skips the pass over x.  Pure module.
//
// Only typed arrays are remembered: nothing writes into them in place, while
// a plain list might change under the same identity.

const known = new WeakMap();

/** {min, max, finite, sorted} of a typed column; null for anything else. */
export function columnStats(column) {
  if (!ArrayBuffer.isView(column)) return null;
  let stats = known.get(column);
  if (stats === undefined) {
    stats = measure(column);
    known.set(column, stats);
  }
  return stats;
}

function measure(column) {
  let min = Infinity;
  let max = -Infinity;
  let finite = true;
  let sorted = true;
  let previous = -Infinity;
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (v - v !== 0) { // NaN or infinite
      finite = false;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    if (v < previous) sorted = false;
    previous = v;
  }
  return { min, max, finite, sorted: sorted && finite };
}
