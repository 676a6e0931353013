// tickers.js - where axes and grids put their ticks.
//
// Pure functions (no DOM, no network) reproducing the tick algorithms of
// BokehJS 0.10 as written down in MODELS.md §5.10, quirks included, because
// the reference pictures were drawn by those algorithms.
//
//   tickerFor(model).ticks(start, end, context) -> { major: [...], minor: [...] }
//
// `model` is {type, attributes[, get(name)]}; an absent (or null) attribute
// takes the BokehJS default of MODELS.md §4.10. ticks() returns every value
// the algorithm produces, including the ones at or beyond the ends; the
// caller keeps what lies inside its range (§5.10 step 3).

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MONTH = 30 * DAY; // BokehJS's nominal month, only used to rank tickers
const YEAR = 365 * DAY;

// BokehJS would happily loop for ever on e.g. a 1e-9 interval over a huge
// range; a renderer must not freeze, so such requests give no ticks at all.
const MAX_VALUES = 100000;

// Beyond this many ms from the epoch a JS Date is invalid.
const MAX_DATE_MS = 8.64e15;

const empty = () => ({ major: [], minor: [] });

/**
 * Attribute `name` of `model`, resolved through model.get() when there is
 * one (references -> objects), else read from model.attributes. JSON null is
 * treated like absence: Python sends e.g. FixedTicker.ticks = null, which
 * BokehJS can only draw as "no ticks".
 */
export function attrOf(model, name, fallback) {
  if (!model || typeof model !== 'object') return fallback;
  let value;
  if (typeof model.get === 'function') value = model.get(name);
  else if (model.attributes && typeof model.attributes === 'object') value = model.attributes[name];
  return value === undefined || value === null ? fallback : value;
}

function numberAttr(model, name, fallback) {
  const value = Number(attrOf(model, name, fallback));
  return Number.isNaN(value) ? fallback : value;
}

function listAttr(model, name, fallback) {
  const value = attrOf(model, name, fallback);
  return Array.isArray(value) && value.length > 0 ? value.map(Number) : fallback;
}

// ------------------------------------------------------------ adaptive rule

/**
 * The interval of the adaptive rule (§5.10): the nice number c·mag, with c
 * from the mantissas extended by one step either side, whose tick count is
 * nearest to n; first candidate wins ties; then clamped to the limits.
 */
function adaptiveInterval(start, end, n, { base, mantissas, minInterval, maxInterval }) {
  const candidates = [mantissas[mantissas.length - 1] / base, ...mantissas, mantissas[0] * base];
  const span = end - start;
  const ideal = span / n;
  // A non-zero min_interval is the unit of the search (1 s, 1 h for dates).
  const unit = minInterval !== 0 ? minInterval : 1;
  // ln/ln exactly as BokehJS does it: ln(1000)/ln(10) = 2.9999999999999996,
  // so an ideal of exactly 1000 gets mag 100. Math.log10 would differ.
  const mag = base ** Math.floor(Math.log(ideal / unit) / Math.log(base)) * unit;
  let best = 0;
  let bestError = Infinity;
  candidates.forEach((c, i) => {
    const error = Math.abs(n - span / (c * mag));
    if (error < bestError) {
      best = i;
      bestError = error;
    }
  });
  return Math.max(minInterval, Math.min(maxInterval, candidates[best] * mag));
}

/** k·interval for every integer k from floor(start/i) to ceil(end/i). */
function multiples(start, end, interval) {
  if (!(interval > 0) || !Number.isFinite(interval)) return [];
  const first = Math.floor(start / interval);
  const last = Math.ceil(end / interval);
  if (!Number.isFinite(first) || !Number.isFinite(last) || last - first > MAX_VALUES) return [];
  const out = [];
  for (let k = first; k <= last; k += 1) out.push(k * interval);
  return out;
}

/**
 * Minor ticks between evenly spaced majors: num_minor_ticks steps below the
 * first major and after every major. The last step of each group lands on
 * the next major; BokehJS draws it twice too, which cannot be seen.
 */
function linearMinors(majors, interval, numMinor) {
  if (!(numMinor > 1) || majors.length === 0) return [];
  const offsets = [];
  for (let j = 1; j <= numMinor; j += 1) offsets.push((j * interval) / numMinor);
  const out = offsets.map((d) => majors[0] - d).reverse();
  for (const m of majors) for (const d of offsets) out.push(m + d);
  return out;
}

function adaptiveParams(model, defaultMantissas) {
  return {
    base: numberAttr(model, 'base', 10),
    mantissas: listAttr(model, 'mantissas', defaultMantissas),
    minInterval: numberAttr(model, 'min_interval', 0),
    maxInterval: numberAttr(model, 'max_interval', Infinity),
    numMinor: numberAttr(model, 'num_minor_ticks', 5),
  };
}

// Every internal ticker is {minInterval, maxInterval, run(lo, hi, n, ctx)}:
// the interval limits are what CompositeTicker ranks its children by, and
// `n` comes from outside because a composite hands its own
// desired_num_ticks to the child it picked.

function adaptiveTicker(p) {
  return {
    minInterval: p.minInterval,
    maxInterval: p.maxInterval,
    run(lo, hi, n) {
      const interval = adaptiveInterval(lo, hi, n, p);
      const major = multiples(lo, hi, interval);
      return { major, minor: linearMinors(major, interval, p.numMinor) };
    },
  };
}

function singleIntervalTicker(interval, numMinor) {
  return {
    minInterval: interval,
    maxInterval: interval,
    run(lo, hi) {
      const major = multiples(lo, hi, interval);
      return { major, minor: linearMinors(major, interval, numMinor) };
    },
  };
}

function logTicker(p) {
  return {
    minInterval: p.minInterval,
    maxInterval: p.maxInterval,
    run(lo, hi, n) {
      if (lo <= 0) lo = 1;
      if (lo > hi) [lo, hi] = [hi, lo];
      // Deliberately ln/ln, not log10: ln(0.1)/ln(10) is a hair above -1 and
      // ln(1000)/ln(10) a hair below 3, which is why [0.1, 1000] gets the
      // majors 1, 10, 100 only (reference log_axis.png).
      const logLo = Math.log(lo) / Math.log(p.base);
      const logHi = Math.log(hi) / Math.log(p.base);
      if (!Number.isFinite(logLo) || !Number.isFinite(logHi)) return empty();

      if (logHi - logLo < 2) {
        // Narrow range: plain adaptive ticks, minus the one at 0 (log 0 = -inf).
        const interval = adaptiveInterval(lo, hi, n, p);
        const major = multiples(lo, hi, interval).filter((v) => v !== 0);
        return { major, minor: linearMinors(major, interval, p.numMinor) };
      }

      const s = Math.ceil(logLo);
      const e = Math.floor(logHi);
      const step = Math.ceil((e - s) / 9); // at most ~10 decades labelled
      if (!(step >= 1) || (e - s) / step > MAX_VALUES) return empty();
      const exponents = [];
      for (let x = s; x < e; x += step) exponents.push(x);
      if ((e - s) % step === 0) exponents.push(e);
      const major = exponents.map((x) => p.base ** x);

      // Minors as BokehJS computes them: multiples j·d of each major (and
      // quotients of the first), d = base^step / num_minor_ticks.
      const minor = [];
      if (p.numMinor > 1 && major.length > 0) {
        const d = p.base ** step / p.numMinor;
        for (let j = 1; j <= p.numMinor; j += 1) minor.push(major[0] / (j * d));
        for (const m of major) for (let j = 1; j <= p.numMinor; j += 1) minor.push(m * j * d);
      }
      return { major, minor };
    },
  };
}

function fixedTicker(values) {
  return {
    // Explicit positions suit any scale; rank them as widest possible.
    minInterval: 0,
    maxInterval: Infinity,
    run: () => ({ major: values.slice(), minor: [] }),
  };
}

function categoricalTicker() {
  return {
    minInterval: 0,
    maxInterval: Infinity,
    run(lo, hi, n, ctx) {
      const factors = (ctx && Array.isArray(ctx.factors)) ? ctx.factors : [];
      const offset = ctx && Number.isFinite(Number(ctx.offset)) ? Number(ctx.offset) : 0;
      // Factor i sits at i + 1 + offset (§5.4); strictly inside the range.
      const major = factors.filter((f, i) => lo < i + 1 + offset && i + 1 + offset < hi);
      return { major, minor: [] };
    },
  };
}

// ------------------------------------------------------------ calendar

/** UTC ms of (year, 0-based month, day); unlike Date.UTC also right for
 * the years 0-99, which Date.UTC moves to 1900-1999. */
function utc(year, month, day) {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return d.getTime();
}

const validDate = (t) => Math.abs(t) <= MAX_DATE_MS;

/** Day-of-month ticks; `days` lists days of the month (1-based). */
function daysTicker(days) {
  const interval = days.length > 1 ? (days[1] - days[0]) * DAY : 31 * DAY;
  return {
    minInterval: interval,
    maxInterval: interval,
    run(lo, hi) {
      if (!validDate(lo) || !validDate(hi)) return empty();
      const first = new Date(lo);
      const last = new Date(hi);
      let y = first.getUTCFullYear();
      let m = first.getUTCMonth();
      // Months from the one holding `lo` to the one after the one holding `hi`.
      const stop = last.getUTCFullYear() * 12 + last.getUTCMonth() + 1;
      if (stop - (y * 12 + m) > MAX_VALUES) return empty();
      const major = [];
      while (y * 12 + m <= stop) {
        for (const day of days) {
          const t = utc(y, m, day);
          // A day whose half-interval neighbourhood spills into another month
          // is dropped: day 31 in short months, the 28th of a 28-day February
          // for the every-3rd-day ticker. Same test as BokehJS.
          if (new Date(t + interval / 2).getUTCMonth() !== m) continue;
          if (lo <= t && t <= hi) major.push(t);
        }
        m += 1;
        if (m === 12) {
          m = 0;
          y += 1;
        }
      }
      return { major, minor: [] };
    },
  };
}

/** First-of-month ticks; `months` lists 0-based months. */
function monthsTicker(months) {
  const interval = months.length > 1 ? (months[1] - months[0]) * MONTH : 12 * MONTH;
  return {
    minInterval: interval,
    maxInterval: interval,
    run(lo, hi) {
      if (!validDate(lo) || !validDate(hi)) return empty();
      const y0 = new Date(lo).getUTCFullYear();
      const y1 = new Date(hi).getUTCFullYear() + 1;
      const major = [];
      for (let y = y0; y <= y1; y += 1) {
        for (const month of months) {
          const t = utc(y, month, 1);
          if (lo <= t && t <= hi) major.push(t);
        }
      }
      return { major, minor: [] };
    },
  };
}

/** 1 January ticks at "nice" year numbers (a BasicTicker on the years). */
function yearsTicker() {
  const years = adaptiveTicker({ base: 10, mantissas: [1, 2, 5], minInterval: 0, maxInterval: Infinity, numMinor: 0 });
  return {
    minInterval: YEAR,
    maxInterval: YEAR,
    run(lo, hi, n) {
      if (!validDate(lo) || !validDate(hi)) return empty();
      const picked = years.run(new Date(lo).getUTCFullYear(), new Date(hi).getUTCFullYear(), n).major;
      // Fractional years (interval 0.5 on a few-year span) truncate like
      // Date.UTC does, so BokehJS's duplicate ticks are kept on purpose.
      const major = picked.map((y) => utc(Math.trunc(y), 0, 1)).filter((t) => lo <= t && t <= hi);
      return { major, minor: [] };
    },
  };
}

// ------------------------------------------------------------ composites

/**
 * Pick a child of a composite ticker the way BokehJS 0.10 does: with
 * ideal = span / n, candidate i is the last child whose min interval is
 * below ideal, candidate j the first whose max interval is >= ideal; the one
 * whose limiting interval yields a tick count closer to n wins, i on ties; a
 * missing candidate loses; with neither, child 0. Children are meant to be
 * listed by increasing interval (BokehJS binary-searches them; for such
 * lists this linear scan gives the same answer).
 */
function pickChild(children, lo, hi, n) {
  const span = hi - lo;
  const ideal = span / n;
  let i = -1;
  children.forEach((c, k) => {
    if (c.minInterval < ideal) i = k;
  });
  const j = children.findIndex((c) => c.maxInterval >= ideal);
  const errorI = i >= 0 ? Math.abs(n - span / children[i].minInterval) : NaN;
  const errorJ = j >= 0 ? Math.abs(n - span / children[j].maxInterval) : NaN;
  const okI = !Number.isNaN(errorI);
  const okJ = !Number.isNaN(errorJ);
  if (okI && okJ) return errorJ < errorI ? j : i;
  if (okI) return i;
  if (okJ) return j;
  return 0;
}

function compositeTicker(children) {
  return {
    // Tried in order of increasing interval: the first child's lower limit,
    // the last child's upper limit.
    minInterval: children.length ? children[0].minInterval : 0,
    maxInterval: children.length ? children[children.length - 1].maxInterval : Infinity,
    run(lo, hi, n, ctx) {
      if (children.length === 0) return empty();
      return children[pickChild(children, lo, hi, n)].run(lo, hi, n, ctx);
    },
  };
}

const range = (from, to, step = 1) => {
  const out = [];
  for (let v = from; v < to; v += step) out.push(v);
  return out;
};

/** The fixed table of §5.10; no minor ticks whatever the model says. */
function datetimeTicker() {
  return compositeTicker([
    adaptiveTicker({ base: 10, mantissas: [1, 2, 5], minInterval: 0, maxInterval: 500, numMinor: 0 }),
    adaptiveTicker({ base: 60, mantissas: [1, 2, 5, 10, 15, 20, 30], minInterval: SECOND, maxInterval: 30 * MINUTE, numMinor: 0 }),
    adaptiveTicker({ base: 24, mantissas: [1, 2, 4, 6, 8, 12], minInterval: HOUR, maxInterval: 12 * HOUR, numMinor: 0 }),
    daysTicker(range(1, 32)),
    daysTicker(range(1, 31, 3)),
    daysTicker([1, 8, 15, 22]),
    daysTicker([1, 15]),
    monthsTicker(range(0, 12)),
    monthsTicker(range(0, 12, 2)),
    monthsTicker(range(0, 12, 4)),
    monthsTicker(range(0, 12, 6)),
    yearsTicker(),
  ]);
}

/** Build the internal ticker for one model (recursively for composites). */
function build(model, depth = 0) {
  const type = model && typeof model === 'object' ? model.type : undefined;
  switch (type) {
    case 'AdaptiveTicker':
      return adaptiveTicker(adaptiveParams(model, [2, 5, 10]));
    case 'LogTicker':
      return logTicker(adaptiveParams(model, [1, 5]));
    case 'FixedTicker': {
      const ticks = attrOf(model, 'ticks', []);
      return fixedTicker(Array.isArray(ticks) ? ticks : []);
    }
    case 'SingleIntervalTicker':
      // No BokehJS default: without an interval there is nothing to draw.
      return singleIntervalTicker(numberAttr(model, 'interval', NaN), numberAttr(model, 'num_minor_ticks', 5));
    case 'DaysTicker':
      return daysTicker(listAttr(model, 'days', []));
    case 'MonthsTicker':
      return monthsTicker(listAttr(model, 'months', []));
    case 'YearsTicker':
      return yearsTicker();
    case 'DatetimeTicker':
      return datetimeTicker();
    case 'CategoricalTicker':
      return categoricalTicker();
    case 'CompositeTicker': {
      const list = attrOf(model, 'tickers', []);
      // The depth guard only protects against a document whose tickers
      // reference each other in a cycle.
      const children = Array.isArray(list) && depth < 16 ? list.map((m) => build(m, depth + 1)) : [];
      return compositeTicker(children);
    }
    default: // BasicTicker and anything unknown
      return adaptiveTicker(adaptiveParams(model, [1, 2, 5]));
  }
}

/**
 * The ticker for `model`. ticks(start, end, context) accepts the ends in
 * either order; context {factors, offset} is only read by CategoricalTicker.
 */
export function tickerFor(model) {
  const ticker = build(model);
  const n = numberAttr(model, 'desired_num_ticks', 6);
  return {
    ticks(start, end, context) {
      start = Number(start);
      end = Number(end);
      if (!Number.isFinite(start) || !Number.isFinite(end)) return empty();
      return ticker.run(Math.min(start, end), Math.max(start, end), n, context);
    },
  };
}
