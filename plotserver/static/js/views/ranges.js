// ranges.js - the current start and end of every range on the page.
//
// Range1d and FactorRange say their ends outright.  DataRange1d fits the
// data of its renderers (MODELS.md 5.5): one range may be shared by several
// plots, so the page keeps one RangeManager that knows which plot views use
// which range and asks them for their data bounds.  Interaction tools set
// overrides (start/end chosen by pan and zoom) without touching the model;
// reset forgets them, and the model's own range shows again.

import { factorIndex } from '../core/scales.js';

const DEFAULT_SPAN = 2;

/** A pure DataRange1d computation from data bounds (min, max) in one dimension. */
export function fitDataRange(attrs, min, max) {
  const padding = typeof attrs.range_padding === 'number' ? attrs.range_padding : 0.1;
  let start = NaN;
  let end = NaN;
  if (Number.isFinite(min) && Number.isFinite(max)) {
    const span = max !== min ? (max - min) * (1 + padding) : (attrs.default_span ?? DEFAULT_SPAN);
    const center = (min + max) / 2;
    start = center - span / 2;
    end = center + span / 2;
    if (attrs.flipped === true) [start, end] = [end, start];
  }
  // An explicit end replaces only that end.
  if (typeof attrs.start === 'number') start = attrs.start;
  if (typeof attrs.end === 'number') end = attrs.end;
  return { start, end };
}

export class RangeManager {
  constructor() {
    this.users = new Map(); // range id -> Map(plotView -> Set(dim))
    this.overrides = new Map(); // range id -> {start, end}
    this.cache = new Map(); // range id + dim -> values, for one render pass
    this.factorCache = new Map(); // range id -> {factors, offset, value}
  }

  register(plotView, range, dim) {
    if (!range) return;
    let users = this.users.get(range.id);
    if (!users) {
      users = new Map();
      this.users.set(range.id, users);
    }
    if (!users.has(plotView)) users.set(plotView, new Set());
    users.get(plotView).add(dim);
  }

  unregister(plotView) {
    for (const users of this.users.values()) users.delete(plotView);
  }

  /**
   * {index, offset} of a FactorRange (how factor names become coordinates),
   * or null for numeric ranges.  Unlike values(), this never looks at data,
   * so glyphs can ask while a DataRange1d is being fitted to them.
   */
  factorsOf(range) {
    if (!range || range.type !== 'FactorRange') return null;
    const { factors, offset } = range.attributes;
    const cached = this.factorCache.get(range.id);
    if (cached && cached.factors === factors && cached.offset === offset) return cached.value;
    const value = {
      index: factorIndex(Array.isArray(factors) ? factors : []),
      offset: typeof offset === 'number' ? offset : 0,
    };
    this.factorCache.set(range.id, { factors, offset, value });
    return value;
  }

  /** Show `range` from start to end (pan and zoom), whatever its model says. */
  override(range, { start, end }) {
    this.overrides.set(range.id, { start, end });
    this.#dropCached(range);
  }

  /** Back to what the model says (reset). */
  forget(range) {
    if (this.overrides.delete(range.id)) this.#dropCached(range);
  }

  #dropCached(range) {
    this.cache.delete(`${range.id}/x`);
    this.cache.delete(`${range.id}/y`);
  }

  /** Forget computed values: data or ranges may have changed since. */
  newPass() {
    this.cache.clear();
  }

  /**
   * {start, end, factors?, index?, offset?} of `range` used along `dim`
   * ("x" or "y").  Start/end are NaN when nothing can be fitted.
   */
  values(range, dim) {
    if (!range) return { start: NaN, end: NaN };
    const key = `${range.id}/${dim}`;
    let values = this.cache.get(key);
    if (values === undefined) {
      values = this.#compute(range, dim);
      const override = this.overrides.get(range.id);
      if (override) values = { ...values, ...override };
      this.cache.set(key, values);
    }
    return values;
  }

  #compute(range, dim) {
    const attrs = range.attributes;
    switch (range.type) {
      case 'FactorRange': {
        const factors = Array.isArray(attrs.factors) ? attrs.factors : [];
        const { index, offset } = this.factorsOf(range);
        return { start: 0.5 + offset, end: factors.length + 0.5 + offset, factors, index, offset };
      }
      case 'DataRange1d': {
        const { min, max } = this.#dataBounds(range, dim);
        return fitDataRange(attrs, min, max);
      }
      default: // Range1d and anything unknown
        return {
          start: typeof attrs.start === 'number' ? attrs.start : 0,
          end: typeof attrs.end === 'number' ? attrs.end : 1,
        };
    }
  }

  /** Union of the data bounds of the renderers this DataRange1d fits. */
  #dataBounds(range, dim) {
    const chosen = new Set((range.get('renderers') || []).filter(Boolean).map((r) => r.id));
    let min = Infinity;
    let max = -Infinity;
    for (const [plotView, dims] of this.users.get(range.id) || []) {
      for (const d of dims) {
        for (const renderer of plotView.glyphRendererViews) {
          // The range's own list when it has one, else every glyph renderer
          // of the plot drawn against this range (re-evaluated every time).
          if (chosen.size ? !chosen.has(renderer.id) : plotView.rangeOf(renderer, d) !== range) continue;
          const b = renderer.bounds();
          if (!b) continue;
          const lo = d === 'x' ? b.minX : b.minY;
          const hi = d === 'x' ? b.maxX : b.maxY;
          if (lo < min) min = lo;
          if (hi > max) max = hi;
        }
      }
    }
    void dim;
    return { min: min === Infinity ? NaN : min, max: max === -Infinity ? NaN : max };
  }
}
