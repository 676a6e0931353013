// Tests for plotserver/static/js/core/tickers.js (run: node --test tests/js/).
// Expected values are the worked examples of MODELS.md §5.10 (checked there
// against BokehJS 0.10) and the tick labels visible in shared/reference/*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { tickerFor } from '../../plotserver/static/js/core/tickers.js';

const model = (type, attributes = {}) => ({ type, attributes });
// What Python always sends for a BasicTicker (§4.10): mantissas [2, 5, 10].
const PY_BASIC = model('BasicTicker', { mantissas: [2, 5, 10], num_minor_ticks: 5 });

/** §5.10 step 3: what an axis keeps. */
const kept = (values, lo, hi) => values.filter((v) => lo <= v && v <= hi);

/** DataRange1d with the default padding 0.1 (§5.5 step 3), fitted to data. */
function fitted(values) {
  const finite = values.filter(Number.isFinite);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max !== min ? (max - min) * 1.1 : 2;
  const center = (min + max) / 2;
  return [center - span / 2, center + span / 2];
}

/** Majors kept on [lo, hi] by the given ticker. */
function keptMajors(ticker, [lo, hi], context) {
  return kept(tickerFor(ticker).ticks(lo, hi, context).major, lo, hi);
}

const close = (actual, expected) => {
  assert.equal(actual.length, expected.length, `${actual} vs ${expected}`);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-9, `${actual} vs ${expected}`));
};

// ------------------------------------------------------------ adaptive

test('seed demo x range [0.8, 5.2]: interval 1, majors 0..6, kept 1..5', () => {
  const { major } = tickerFor(PY_BASIC).ticks(0.8, 5.2);
  assert.deepEqual(major, [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(kept(major, 0.8, 5.2), [1, 2, 3, 4, 5]);
});

test('seed demo y range [1.75, 7.25]: interval 1, kept 2..7', () => {
  assert.deepEqual(keptMajors(PY_BASIC, [1.75, 7.25]), [2, 3, 4, 5, 6, 7]);
});

test('[0.85, 4.15] gets 0.5 steps', () => {
  assert.deepEqual(keptMajors(PY_BASIC, [0.85, 4.15]), [1, 1.5, 2, 2.5, 3, 3.5, 4]);
});

test('[-1234567, 9876543] gets interval 2000000', () => {
  const { major } = tickerFor(PY_BASIC).ticks(-1234567, 9876543);
  assert.deepEqual(major, [-2000000, 0, 2000000, 4000000, 6000000, 8000000, 10000000]);
});

test('the ends may come in either order', () => {
  assert.deepEqual(tickerFor(PY_BASIC).ticks(5.2, 0.8), tickerFor(PY_BASIC).ticks(0.8, 5.2));
});

test('majors are k * interval, float noise included (0.1 * 3)', () => {
  const { major } = tickerFor(PY_BASIC).ticks(0, 0.5);
  assert.ok(major.includes(0.30000000000000004));
});

test('minors: num_minor_ticks steps below the first major and after every major', () => {
  const { major, minor } = tickerFor(PY_BASIC).ticks(0.8, 5.2);
  assert.equal(minor.length, 5 + 5 * major.length);
  close(kept(minor, 0.8, 5.2).slice(0, 6), [0.8, 1, 1.2, 1.4, 1.6, 1.8]);
  assert.ok(minor.some((v) => Math.abs(v - -1) < 1e-12)); // majors[0] - 5 * 0.2
});

test('num_minor_ticks 0 or 1 gives no minors', () => {
  for (const n of [0, 1]) {
    const t = model('BasicTicker', { mantissas: [2, 5, 10], num_minor_ticks: n });
    assert.deepEqual(tickerFor(t).ticks(0.8, 5.2).minor, []);
  }
});

test('BasicTicker without attributes uses mantissas [1, 2, 5] and 6 ticks', () => {
  // candidates 0.5, 1, 2, 5, 10 (x mag): [0, 10] -> interval 2
  assert.deepEqual(tickerFor(model('BasicTicker')).ticks(0, 10).major, [0, 2, 4, 6, 8, 10]);
  // [0, 100]: mag 10 -> 10 gives 10 ticks (err 4), 20 gives 5 (err 1)
  assert.deepEqual(tickerFor(model('BasicTicker')).ticks(0, 100).major, [0, 20, 40, 60, 80, 100]);
});

test('AdaptiveTicker defaults to mantissas [2, 5, 10]', () => {
  // Same answer as the Python-sent BasicTicker on the seed range.
  assert.deepEqual(tickerFor(model('AdaptiveTicker')).ticks(0.8, 5.2).major, [0, 1, 2, 3, 4, 5, 6]);
});

test('desired_num_ticks changes the interval', () => {
  const t = model('BasicTicker', { mantissas: [2, 5, 10], desired_num_ticks: 3 });
  assert.deepEqual(keptMajors(t, [0, 10]), [0, 5, 10]);
});

test('min_interval and max_interval clamp the interval', () => {
  const lo = model('BasicTicker', { mantissas: [2, 5, 10], min_interval: 2 });
  assert.deepEqual(keptMajors(lo, [0, 5]), [0, 2, 4]);
  const hi = model('BasicTicker', { mantissas: [2, 5, 10], max_interval: 0.5 });
  assert.deepEqual(keptMajors(hi, [0, 10]).length, 21);
});

test('base 2 searches powers of two', () => {
  const t = model('AdaptiveTicker', { base: 2, mantissas: [1, 1.5] });
  assert.deepEqual(keptMajors(t, [0, 48]), [0, 8, 16, 24, 32, 40, 48]);
});

test('model.get() is used when present', () => {
  const attrs = { mantissas: [2, 5, 10], desired_num_ticks: 3 };
  const withGet = { type: 'BasicTicker', attributes: {}, get: (name) => attrs[name] };
  assert.deepEqual(keptMajors(withGet, [0, 10]), [0, 5, 10]);
});

test('unknown types and missing models behave like BasicTicker', () => {
  const expected = tickerFor(model('BasicTicker')).ticks(0, 10);
  assert.deepEqual(tickerFor(model('NoSuchTicker')).ticks(0, 10), expected);
  assert.deepEqual(tickerFor(undefined).ticks(0, 10), expected);
});

test('non-finite ends give no ticks', () => {
  for (const [a, b] of [[NaN, 1], [0, Infinity], [-Infinity, 3], [undefined, 2]]) {
    assert.deepEqual(tickerFor(PY_BASIC).ticks(a, b), { major: [], minor: [] });
  }
});

test('an empty span gives no ticks instead of looping', () => {
  assert.deepEqual(tickerFor(PY_BASIC).ticks(3, 3).major, []);
});

// ------------------------------------------------------------ reference images

test('seed_line.png: x labels 1..5, y 2..7', () => {
  // fixture seed_line_show.json: x [1, 2, 3, 4, 5], y [6, 7, 2, 4, 5]
  const x = fitted([1, 2, 3, 4, 5]);
  const y = fitted([6, 7, 2, 4, 5]);
  close(x, [0.8, 5.2]);
  close(y, [1.75, 7.25]);
  assert.deepEqual(keptMajors(PY_BASIC, x), [1, 2, 3, 4, 5]);
  assert.deepEqual(keptMajors(PY_BASIC, y), [2, 3, 4, 5, 6, 7]);
});

test('legend_hover.png: x 0, 0.5 ... 3; y -1 ... 1 by 0.5', () => {
  // fixture legend_hover.json: x [0, 1, 2, 3]; y [0, 1, 0, -1] and [1, 0, -1, 0]
  const x = fitted([0, 1, 2, 3]);
  const y = fitted([0, 1, 0, -1, 1, 0, -1, 0]);
  assert.deepEqual(keptMajors(PY_BASIC, x), [0, 0.5, 1, 1.5, 2, 2.5, 3]);
  assert.deepEqual(keptMajors(PY_BASIC, y), [-1, -0.5, 0, 0.5, 1]);
});

test('log_axis.png: x 1, 1.5 ... 4 and y 10^0, 10^1, 10^2 on Range1d [0.1, 1000]', () => {
  // fixture log_axis.json: x [1, 2, 3, 4]; y_range Range1d(0.1, 1000) with a
  // LogTicker {mantissas: [2, 5, 10], num_minor_ticks: 10}
  assert.deepEqual(keptMajors(PY_BASIC, fitted([1, 2, 3, 4])), [1, 1.5, 2, 2.5, 3, 3.5, 4]);
  const log = model('LogTicker', { mantissas: [2, 5, 10], num_minor_ticks: 10 });
  assert.deepEqual(keptMajors(log, [0.1, 1000]), [1, 10, 100]);
});

test('gridplot.png: 1, 1.5 ... 3 on both axes', () => {
  // fixture gridplot.json: x [1, 2, 3] (shared), y [1, 2, 3] and [3, 1, 2]
  assert.deepEqual(keptMajors(PY_BASIC, fitted([1, 2, 3])), [1, 1.5, 2, 2.5, 3]);
  assert.deepEqual(keptMajors(PY_BASIC, fitted([3, 1, 2])), [1, 1.5, 2, 2.5, 3]);
});

test('datetime_line.png: x ticks daily 2015-09-01..04, y 2..12 by 2', () => {
  // fixture datetime_line.json: x from 1441065600000 (2015-09-01) to
  // 1441324800000 (2015-09-04); y [2, 3], [10, 11.5, 9.75], [1.5, 2, NaN, 3.25]
  const x = fitted([1441108800000, 1441195200000, 1441065600000, 1441152000000, 1441238400000, 1441324800000]);
  const day = 86400000;
  assert.deepEqual(keptMajors(model('DatetimeTicker', { num_minor_ticks: 5 }), x),
    [0, 1, 2, 3].map((i) => 1441065600000 + i * day));
  assert.deepEqual(tickerFor(model('DatetimeTicker', { num_minor_ticks: 5 })).ticks(...x).minor, []);
  const y = fitted([2, 3, 10, 11.5, 9.75, 1.5, 2, NaN, 3.25]);
  assert.deepEqual(y, [1, 12]);
  assert.deepEqual(keptMajors(PY_BASIC, y), [2, 4, 6, 8, 10, 12]);
});

// ------------------------------------------------------------ LogTicker

test('LogTicker [0.1, 1000]: majors 1, 10, 100 only (ln rounding quirk)', () => {
  const log = model('LogTicker', { mantissas: [2, 5, 10], num_minor_ticks: 10 });
  assert.deepEqual(tickerFor(log).ticks(0.1, 1000).major, [1, 10, 100]);
});

test('LogTicker minors: majors[0] / (j*d) and majors[i] * (j*d)', () => {
  const log = model('LogTicker', { num_minor_ticks: 10 });
  const { minor } = tickerFor(log).ticks(0.1, 1000);
  // d = 10^1 / 10 = 1: 1/1 ... 1/10, then 1..10, 10..100, 100..1000
  assert.equal(minor.length, 10 + 3 * 10);
  close(minor.slice(0, 3), [1, 0.5, 1 / 3]);
  assert.equal(minor[9], 0.1);
  assert.deepEqual(minor.slice(10, 13), [1, 2, 3]);
  assert.equal(minor[minor.length - 1], 1000);
});

test('LogTicker over many decades labels every k-th decade', () => {
  // 10^0 .. 10^20: k = ceil(20 / 9) = 3; 20 is not a multiple of 3 -> no 1e20
  const { major } = tickerFor(model('LogTicker')).ticks(1, 1e20 * 1.5);
  assert.deepEqual(major, [1e0, 1e3, 1e6, 1e9, 1e12, 1e15, 1e18]);
  // 10^0 .. 10^18: k = 2 and 18 is a multiple -> 1e18 included
  const even = tickerFor(model('LogTicker')).ticks(1, 1e18 * 1.5).major;
  assert.deepEqual(even, [1e0, 1e2, 1e4, 1e6, 1e8, 1e10, 1e12, 1e14, 1e16, 1e18]);
});

test('LogTicker on a narrow range uses the adaptive rule without 0', () => {
  // ln(50)/ln(10) - 0 < 2: mantissas [1, 5] -> candidates 0.5, 1, 5, 10 (x10)
  const { major } = tickerFor(model('LogTicker')).ticks(0, 50);
  assert.ok(!major.includes(0));
  assert.deepEqual(major, [10, 20, 30, 40, 50]);
});

test('LogTicker replaces a start <= 0 by 1', () => {
  assert.deepEqual(tickerFor(model('LogTicker')).ticks(-5, 1000).major, [1, 10, 100]);
});

// ------------------------------------------------------------ fixed, single, composite

test('FixedTicker returns its ticks as given, no minors; null means none', () => {
  const t = model('FixedTicker', { ticks: [5, -1, 2.5, 100] });
  assert.deepEqual(tickerFor(t).ticks(0, 10), { major: [5, -1, 2.5, 100], minor: [] });
  assert.deepEqual(tickerFor(model('FixedTicker', { ticks: null })).ticks(0, 10), { major: [], minor: [] });
});

test('SingleIntervalTicker uses its interval; without one it gives nothing', () => {
  const t = model('SingleIntervalTicker', { interval: 3, num_minor_ticks: 3 });
  const { major, minor } = tickerFor(t).ticks(1, 10);
  assert.deepEqual(major, [0, 3, 6, 9, 12]);
  assert.deepEqual(minor.slice(0, 4), [-3, -2, -1, 1]);
  assert.deepEqual(tickerFor(model('SingleIntervalTicker')).ticks(1, 10), { major: [], minor: [] });
});

test('CompositeTicker picks the child whose interval suits span / n best', () => {
  const composite = model('CompositeTicker', {
    tickers: [1, 10, 100].map((interval) => model('SingleIntervalTicker', { interval, num_minor_ticks: 0 })),
  });
  // span 50, ideal 8.3: i = #1 (10 < 8.3? no) -> #0 (err |6-50|), j = #1 (err |6-5| = 1)
  assert.deepEqual(keptMajors(composite, [0, 50]), [0, 10, 20, 30, 40, 50]);
  // span 6, ideal 1: i = #0 (1 < 1? no -> none), j = #0 (err 0)
  assert.deepEqual(keptMajors(composite, [0, 6]), [0, 1, 2, 3, 4, 5, 6]);
  // span 5000: beyond the last child -> the last child (i)
  assert.deepEqual(keptMajors(composite, [0, 500]), [0, 100, 200, 300, 400, 500]);
});

test('CompositeTicker resolves its tickers through get() and passes its own n', () => {
  const children = [model('SingleIntervalTicker', { interval: 1 }), model('SingleIntervalTicker', { interval: 5 })];
  const attrs = { tickers: children, desired_num_ticks: 2 };
  const composite = { type: 'CompositeTicker', attributes: { tickers: [{ type: 'X', id: 'a' }] }, get: (n) => attrs[n] };
  // span 10, n 2: ideal 5 -> i = #0 (err |2-10| = 8), j = #1 (err |2-2| = 0)
  assert.deepEqual(keptMajors(composite, [0, 10]), [0, 5, 10]);
  assert.deepEqual(tickerFor(model('CompositeTicker', { tickers: [] })).ticks(0, 1), { major: [], minor: [] });
});

// ------------------------------------------------------------ categorical

test('CategoricalTicker: factors strictly inside the range, as given', () => {
  const t = tickerFor(model('CategoricalTicker'));
  const factors = ['a', 'b', 'c'];
  assert.deepEqual(t.ticks(0.5, 3.5, { factors, offset: 0 }), { major: ['a', 'b', 'c'], minor: [] });
  assert.deepEqual(t.ticks(1.2, 3.0, { factors }).major, ['b']);
  assert.deepEqual(t.ticks(3.0, 1.2, { factors }).major, ['b']);
  // offset shifts every position: a at 2, b at 3, c at 4
  assert.deepEqual(t.ticks(1.5, 3.5, { factors, offset: 1 }).major, ['a', 'b']);
  assert.deepEqual(t.ticks(0.5, 3.5).major, []);
});

// ------------------------------------------------------------ datetime

const START = Date.UTC(2015, 8, 1, 7, 13, 21, 123); // an unround moment
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function datetimeKept(span, start = START) {
  return keptMajors(model('DatetimeTicker'), [start, start + span]);
}

const steps = (values) => values.slice(1).map((v, i) => v - values[i]);
const iso = (t) => new Date(t).toISOString();

test('datetime: 2 ms -> 0.5 ms, 300 ms -> 50 ms', () => {
  assert.deepEqual(new Set(steps(datetimeKept(2))), new Set([0.5]));
  assert.deepEqual(new Set(steps(datetimeKept(300))), new Set([50]));
});

test('datetime: 5 s -> 1 s, 90 s -> 15 s', () => {
  assert.deepEqual(new Set(steps(datetimeKept(5 * SECOND))), new Set([SECOND]));
  const ticks = datetimeKept(90 * SECOND);
  assert.deepEqual(new Set(steps(ticks)), new Set([15 * SECOND]));
  assert.ok(ticks.every((t) => t % (15 * SECOND) === 0));
});

test('datetime: 10 min -> 2 min, 2 h -> 20 min, 20 h -> 4 h', () => {
  assert.deepEqual(new Set(steps(datetimeKept(10 * MINUTE))), new Set([2 * MINUTE]));
  assert.deepEqual(new Set(steps(datetimeKept(2 * HOUR))), new Set([20 * MINUTE]));
  const hours = datetimeKept(20 * HOUR);
  assert.deepEqual(new Set(steps(hours)), new Set([4 * HOUR]));
  assert.deepEqual(hours.map(iso).slice(0, 2), ['2015-09-01T08:00:00.000Z', '2015-09-01T12:00:00.000Z']);
});

test('datetime: 4 days -> daily at midnight UTC', () => {
  assert.deepEqual(datetimeKept(4 * DAY).map(iso), [
    '2015-09-02T00:00:00.000Z', '2015-09-03T00:00:00.000Z', '2015-09-04T00:00:00.000Z', '2015-09-05T00:00:00.000Z',
  ]);
});

test('datetime: 20 days -> every 3rd day of the month (1, 4, 7 ...)', () => {
  const days = datetimeKept(20 * DAY).map((t) => new Date(t).getUTCDate());
  assert.deepEqual(days, [4, 7, 10, 13, 16, 19]);
});

test('datetime: 70 days -> the 1st and 15th', () => {
  assert.deepEqual(datetimeKept(70 * DAY).map((t) => iso(t).slice(0, 10)),
    ['2015-09-15', '2015-10-01', '2015-10-15', '2015-11-01']);
});

test('datetime: 300 days -> every 2nd month', () => {
  assert.deepEqual(datetimeKept(300 * DAY).map((t) => iso(t).slice(0, 10)),
    ['2015-11-01', '2016-01-01', '2016-03-01', '2016-05-01']);
});

test('datetime: 3 years -> January and July', () => {
  assert.deepEqual(datetimeKept(3 * 365 * DAY).map((t) => iso(t).slice(0, 7)),
    ['2016-01', '2016-07', '2017-01', '2017-07', '2018-01', '2018-07']);
});

test('datetime: 40 years -> every 5 years', () => {
  const years = datetimeKept(40 * 365 * DAY).map((t) => new Date(t).getUTCFullYear());
  assert.deepEqual(years, [2020, 2025, 2030, 2035, 2040, 2045, 2050, 2055]);
  assert.ok(datetimeKept(40 * 365 * DAY).every((t) => iso(t).endsWith('-01-01T00:00:00.000Z')));
});

test('datetime: never minor ticks, whatever num_minor_ticks says', () => {
  const t = tickerFor(model('DatetimeTicker', { num_minor_ticks: 5 }));
  for (const span of [2, 5 * SECOND, 2 * HOUR, 20 * DAY, 3 * 365 * DAY]) {
    assert.deepEqual(t.ticks(START, START + span).minor, []);
  }
});

test('DaysTicker drops days spilling into the next month', () => {
  // Every day of September 2015 (30 days): no 31st, i.e. no 1 October twice.
  const every = model('DaysTicker', { days: Array.from({ length: 31 }, (_, i) => i + 1) });
  const sept = keptMajors(every, [Date.UTC(2015, 8, 1), Date.UTC(2015, 9, 1)]);
  assert.equal(sept.length, 31); // 1..30 September plus 1 October
  assert.equal(new Set(sept).size, 31);
  // Every 3rd day: the 28th of a 28-day February is dropped (28 + 1.5 days spills).
  const third = model('DaysTicker', { days: [1, 4, 7, 10, 13, 16, 19, 22, 25, 28] });
  const feb = keptMajors(third, [Date.UTC(2015, 1, 1), Date.UTC(2015, 1, 28, 12)]);
  assert.deepEqual(feb.map((t) => new Date(t).getUTCDate()), [1, 4, 7, 10, 13, 16, 19, 22, 25]);
});

test('MonthsTicker and YearsTicker models', () => {
  const months = model('MonthsTicker', { months: [0, 6] });
  assert.deepEqual(keptMajors(months, [Date.UTC(2014, 11, 1), Date.UTC(2016, 0, 1)]).map((t) => iso(t).slice(0, 7)),
    ['2015-01', '2015-07', '2016-01']);
  const years = keptMajors(model('YearsTicker'), [Date.UTC(1990, 5, 1), Date.UTC(2050, 5, 1)]);
  assert.deepEqual(years.map((t) => new Date(t).getUTCFullYear()), [2000, 2010, 2020, 2030, 2040, 2050]);
});
