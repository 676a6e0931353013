// scales.js - data coordinates to screen pixels (MODELS.md 5.4).  Pure module.
//
// A scale maps the interval [start, end] of a range onto the pixel interval
// [from, to]: for x, from = frame left and to = frame right; for y, from =
// frame bottom and to = frame top (screen y grows downward).  start > end
// simply flips the picture.  Categorical coordinates are first turned into
// numbers (synthetic coordinates) by `factorCoordinates`, after which a
// linear scale does the rest.

export class LinearScale {
  constructor(start, end, from, to) {
    this.linear = true; // map(v) is offset + v * factor
    this.start = start;
    this.end = end;
    this.from = from;
    this.to = to;
    // sx = offset + v * factor: one multiply-add per point in the hot loops.
    this.factor = (to - from) / (end - start);
    this.offset = from - start * this.factor;
  }

  map(v) {
    return this.offset + v * this.factor;
  }

  invert(px) {
    return (px - this.offset) / this.factor;
  }

  /** Map a whole column into `out` (allocated when not given). */
  mapArray(values, out = new Float64Array(values.length)) {
    const { offset, factor } = this;
    for (let i = 0; i < values.length; i++) out[i] = offset + values[i] * factor;
    return out;
  }

  /** Pixel length of a data distance `d` anchored at `v` (for data units). */
  span(v, d) {
    return Math.abs(this.map(v + d) - this.map(v));
  }
}

/**
 * Log10 scale.  The ends are adjusted as BokehJS did: a non-positive end
 * becomes 0, equal ends widen to the surrounding powers of ten, a start of
 * 0 counts as 1.  Values <= 0 map to NaN, so such points are skipped instead
 * of being piled onto the range start (the original's quirk).
 */
export class LogScale {
  constructor(start, end, from, to) {
    let lo = start;
    let hi = end;
    if (hi < 0) hi = 0;
    if (lo === hi) {
      if (lo === 0) {
        lo = 1;
        hi = 10;
      } else {
        const exp = Math.log10(lo);
        lo = 10 ** Math.floor(exp);
        hi = Math.ceil(exp) !== Math.floor(exp) ? 10 ** Math.ceil(exp) : 10 ** (Math.ceil(exp) + 1);
      }
    }
    if (lo <= 0) lo = 1;
    this.start = lo;
    this.end = hi;
    this.from = from;
    this.to = to;
    this.linear = false;
    this.logStart = Math.log(lo);
    this.factor = (to - from) / (Math.log(hi) - this.logStart);
  }

  map(v) {
    return v > 0 ? this.from + (Math.log(v) - this.logStart) * this.factor : NaN;
  }

  invert(px) {
    return Math.exp((px - this.from) / this.factor + this.logStart);
  }

  mapArray(values, out = new Float64Array(values.length)) {
    for (let i = 0; i < values.length; i++) out[i] = this.map(values[i]);
    return out;
  }

  span(v, d) {
    return Math.abs(this.map(v + d) - this.map(v));
  }
}

export function makeScale(kind, start, end, from, to) {
  return kind === 'log' ? new LogScale(start, end, from, to) : new LinearScale(start, end, from, to);
}

/** Factor name -> index lookup for a FactorRange's `factors`. */
export function factorIndex(factors) {
  const index = new Map();
  (factors || []).forEach((f, i) => {
    if (!index.has(String(f))) index.set(String(f), i);
  });
  return index;
}

/**
 * The synthetic coordinate of one value on a categorical axis: factor i is
 * at i + 1 + offset; "name:0.3" is at i + 0.5 + offset + 0.3 (a position
 * inside the category's band); numbers pass through; anything else is NaN.
 */
export function factorCoordinate(value, index, offset = 0) {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return NaN;
  const i = index.get(value);
  if (i !== undefined) return i + 1 + offset;
  const colon = value.lastIndexOf(':');
  if (colon > 0) {
    const j = index.get(value.slice(0, colon));
    const within = Number(value.slice(colon + 1));
    if (j !== undefined && Number.isFinite(within)) return j + 0.5 + offset + within;
  }
  return NaN;
}

/** A whole column of factor names (or numbers) as synthetic coordinates. */
export function factorCoordinates(values, index, offset = 0) {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = factorCoordinate(values[i], index, offset);
  return out;
}
