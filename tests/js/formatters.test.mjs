// Tests for plotserver/static/js/core/formatters.js (run: node --test tests/js/).
// Expected labels are the examples of MODELS.md §5.10 (checked there against
// BokehJS 0.10) and the labels visible in shared/reference/*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { formatterFor, strftime, numeralFormat, sprintf } from '../../plotserver/static/js/core/formatters.js';
import { tickerFor } from '../../plotserver/static/js/core/tickers.js';

const model = (type, attributes = {}) => ({ type, attributes });
const basic = (attributes) => formatterFor(model('BasicTickFormatter', attributes));
const datetime = (attributes = { formats: {} }) => formatterFor(model('DatetimeTickFormatter', attributes));

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SEP1 = Date.UTC(2015, 8, 1); // 2015-09-01T00:00Z, as in datetime_line.json

// ------------------------------------------------------------ BasicTickFormatter

test('basic: integers', () => {
  assert.deepEqual(basic().format([1, 2, 3, 4, 5]), ['1', '2', '3', '4', '5']);
});

test('basic: trailing zeros and float noise disappear', () => {
  assert.deepEqual(basic().format([0.1, 0.2, 0.30000000000000004, 0.4]), ['0.1', '0.2', '0.3', '0.4']);
});

test('basic: small values switch to scientific, keeping zeros', () => {
  assert.deepEqual(basic().format([0.0001, 0.0002, 0.0003]), ['1.000e-4', '2.000e-4', '3.000e-4']);
});

test('basic: one large value switches the whole list, 0 included', () => {
  assert.deepEqual(basic().format([0, 50000, 100000]), ['0.000e+0', '5.000e+4', '1.000e+5']);
});

test('basic: a near-zero tick (float noise) does not trigger scientific', () => {
  assert.deepEqual(basic().format([-0.2, 5.551115123125783e-17, 0.2]), ['-0.2', '0', '0.2']);
});

test('basic: "auto" adds digits until neighbours differ, from 3 each call', () => {
  const f = basic();
  assert.deepEqual(f.format([1.00001, 1.00002, 1.00003]), ['1.00001', '1.00002', '1.00003']);
  // A second call starts again at 3 (BokehJS never remembers the precision).
  assert.deepEqual(f.format([1.5, 2.5]), ['1.5', '2.5']);
  assert.deepEqual(basic().format([1e-5 + 1, 1]), ['1.00001', '1']);
});

test('basic: fixed precision, use_scientific and power limits', () => {
  assert.deepEqual(basic({ precision: 2 }).format([1, 1.5, 2.123]), ['1', '1.5', '2.12']);
  assert.deepEqual(basic({ precision: 2 }).format([0, 100000]), ['0.00e+0', '1.00e+5']);
  assert.deepEqual(basic({ precision: 0 }).format([1.4, 2.6]), ['1', '3']);
  assert.deepEqual(basic({ use_scientific: false }).format([0, 50000, 100000]), ['0', '50000', '100000']);
  assert.deepEqual(basic({ power_limit_high: 7 }).format([0, 5000000]), ['0', '5000000']);
  assert.deepEqual(basic({ power_limit_low: -5 }).format([0.0001, 0.0002]), ['0.0001', '0.0002']);
  assert.deepEqual(basic().format([]), []);
  assert.deepEqual(basic().format([1000]), ['1000']);
});

test('unknown formatter types behave like BasicTickFormatter', () => {
  assert.deepEqual(formatterFor(model('Whatever')).format([0.0001, 0.0002]), ['1.000e-4', '2.000e-4']);
  assert.deepEqual(formatterFor(undefined).format([1, 2]), ['1', '2']);
});

// ------------------------------------------------------------ LogTickFormatter

test('log: base^exponent with the base of the referenced ticker', () => {
  const f = formatterFor(model('LogTickFormatter'));
  assert.deepEqual(f.format([0.1, 1, 1000]), ['10^-1', '10^0', '10^3']);
  const ticker = model('LogTicker', { base: 2 });
  const withGet = { type: 'LogTickFormatter', attributes: {}, get: (n) => (n === 'ticker' ? ticker : undefined) };
  assert.deepEqual(formatterFor(withGet).format([1, 2, 8]), ['2^0', '2^1', '2^3']);
  // An unresolved reference carries no base: 10.
  const unresolved = model('LogTickFormatter', { ticker: { type: 'LogTicker', id: 'x' } });
  assert.deepEqual(formatterFor(unresolved).format([10, 100]), ['10^1', '10^2']);
});

test('log: repeated labels fall back to the basic formatter', () => {
  const f = formatterFor(model('LogTickFormatter'));
  assert.deepEqual(f.format([5, 10, 15, 20, 25, 30]), ['5', '10', '15', '20', '25', '30']);
});

// ------------------------------------------------------------ reference images

/** Ticks kept on [lo, hi] and their labels, the way an axis does it (§5.10). */
function axisLabels(ticker, formatter, lo, hi) {
  const majors = tickerFor(ticker).ticks(lo, hi).major.filter((v) => lo <= v && v <= hi);
  return formatterFor(formatter).format(majors);
}

const PY_BASIC = model('BasicTicker', { mantissas: [2, 5, 10], num_minor_ticks: 5 });
const BASIC_FMT = model('BasicTickFormatter');

test('seed_line.png labels: x 1..5, y 2..7', () => {
  // seed_line_show.json data x 1..5, y 2..7 -> ranges [0.8, 5.2], [1.75, 7.25]
  assert.deepEqual(axisLabels(PY_BASIC, BASIC_FMT, 0.8, 5.2), ['1', '2', '3', '4', '5']);
  assert.deepEqual(axisLabels(PY_BASIC, BASIC_FMT, 1.75, 7.25), ['2', '3', '4', '5', '6', '7']);
});

test('legend_hover.png labels: x 0 ... 3 by 0.5, y -1 ... 1 by 0.5', () => {
  // legend_hover.json data x 0..3, y -1..1 -> ranges [-0.15, 3.15], [-1.1, 1.1]
  assert.deepEqual(axisLabels(PY_BASIC, BASIC_FMT, 1.5 - 1.65, 1.5 + 1.65),
    ['0', '0.5', '1', '1.5', '2', '2.5', '3']);
  assert.deepEqual(axisLabels(PY_BASIC, BASIC_FMT, -1.1, 1.1), ['-1', '-0.5', '0', '0.5', '1']);
});

test('log_axis.png labels: x 1 ... 4 by 0.5, y 10^0 10^1 10^2', () => {
  // log_axis.json: x data 1..4 -> [0.85, 4.15]; y Range1d [0.1, 1000]
  assert.deepEqual(axisLabels(PY_BASIC, BASIC_FMT, 0.85, 4.15), ['1', '1.5', '2', '2.5', '3', '3.5', '4']);
  const logTicker = model('LogTicker', { mantissas: [2, 5, 10], num_minor_ticks: 10 });
  const logFormatter = { type: 'LogTickFormatter', attributes: {}, get: (n) => (n === 'ticker' ? logTicker : undefined) };
  assert.deepEqual(axisLabels(logTicker, logFormatter, 0.1, 1000), ['10^0', '10^1', '10^2']);
});

test('gridplot.png labels: 1, 1.5, 2, 2.5, 3', () => {
  // gridplot.json data 1..3 -> [0.9, 3.1] on both axes
  assert.deepEqual(axisLabels(PY_BASIC, BASIC_FMT, 2 - 1.1, 2 + 1.1), ['1', '1.5', '2', '2.5', '3']);
});

test('datetime_line.png labels: x 9/01 9/02 9/03 9/04, y 2 ... 12 by 2', () => {
  // datetime_line.json: x data 2015-09-01 .. 2015-09-04 (3 days) padded by 5 %
  // each side; y data 1.5 .. 11.5 -> [1, 12]
  const pad = 0.05 * 3 * DAY;
  const x = axisLabels(model('DatetimeTicker', { num_minor_ticks: 5 }), model('DatetimeTickFormatter', { formats: {} }),
    SEP1 - pad, SEP1 + 3 * DAY + pad);
  assert.deepEqual(x, ['9/01', '9/02', '9/03', '9/04']);
  assert.deepEqual(axisLabels(PY_BASIC, BASIC_FMT, 1, 12), ['2', '4', '6', '8', '10', '12']);
});

// ------------------------------------------------------------ DatetimeTickFormatter

test('datetime: an hours axis labels midnight with the date', () => {
  const ticks = [20, 22, 24, 26].map((h) => SEP1 + h * HOUR);
  assert.deepEqual(datetime().format(ticks), ['20h', '22h', '9/02', '2h']);
});

test('datetime: a minutes axis labels a full hour with %H:%M', () => {
  const ticks = [20 * HOUR + 50 * MINUTE, 20 * HOUR + 55 * MINUTE, 21 * HOUR].map((t) => SEP1 + t);
  assert.deepEqual(datetime().format(ticks), [':50', ':55', '21:00']);
});

test('datetime: leading zeros are removed, one 0 put back before a non-digit', () => {
  assert.deepEqual(datetime().format([SEP1, SEP1 + DAY]), ['9/01', '9/02']);
  assert.deepEqual(datetime().format([5, 6, 7].map((s) => SEP1 + 12 * HOUR + s * SECOND)), ['5s', '6s', '7s']);
  // %H:%M at 00:30 gives "00:30" -> "0:30" (minutes 30: no promotion).
  const f = datetime({ formats: { minutes: ['%H:%M'] } });
  assert.deepEqual(f.format([SEP1 + 25 * MINUTE, SEP1 + 30 * MINUTE]), ['0:25', '0:30']);
});

test('datetime: months use %b%y, years the two-digit year', () => {
  const months = [0, 1, 2].map((m) => Date.UTC(2015, m, 1));
  assert.deepEqual(datetime().format(months), ['Jan15', 'Feb15', 'Mar15']);
  const years = [2015, 2016, 2020].map((y) => Date.UTC(y, 0, 1));
  assert.deepEqual(datetime().format(years), ["'15", "'16", "'20"]);
});

test("datetime: two-digit year is the UTC year without BokehJS's +1 for Aug-Dec", () => {
  // A single tick has no spacing (NaN) and ends in "years".
  assert.deepEqual(datetime().format([SEP1]), ["'15"]);
  assert.deepEqual(datetime().format([Date.UTC(2015, 11, 31, 23, 59)]), ["'15"]);
});

test('datetime: sub-second resolutions', () => {
  assert.deepEqual(datetime().format([SEP1, SEP1 + 0.5, SEP1 + 1]), ['0us', '500us', '1000us']);
  assert.deepEqual(datetime().format([SEP1 + 1250, SEP1 + 1300, SEP1 + 1350]), ['250ms', '300ms', '350ms']);
});

test('datetime: seconds promote on second 0', () => {
  const ticks = [58, 59, 60, 61].map((s) => SEP1 + 12 * HOUR + 30 * MINUTE + s * SECOND);
  assert.deepEqual(datetime().format(ticks), ['58s', '59s', ':31:00', '1s']);
});

test('datetime: minsec and hourmin hybrid axes', () => {
  // minsec: 15 s steps over more than a minute; 12:00:15 has minute 0 but
  // seconds 15 -> seconds format; 12:00:00 promotes up to 12:00.
  const minsec = [45, 60, 75, 90, 105, 120].map((s) => SEP1 + 11 * HOUR + 59 * MINUTE + s * SECOND);
  assert.deepEqual(datetime().format(minsec), [':59:45', '12:00', '15s', '30s', '45s', ':01:00']);
  // The same 15 s steps spanning under a minute are a plain seconds axis.
  assert.deepEqual(datetime().format(minsec.slice(0, 4)), ['45s', '12:00', '15s', '30s']);
  // hourmin: 20 min steps over more than an hour around midnight.
  const hourmin = [-20, 0, 20, 40, 60].map((m) => SEP1 + m * MINUTE);
  assert.deepEqual(datetime().format(hourmin), ['23:40', '9/01', ':20', ':40', '1:00']);
});

test('datetime: formats attribute replaces a resolution list; the shortest wins', () => {
  const ticks = [SEP1, SEP1 + DAY];
  assert.deepEqual(datetime({ formats: { days: ['%Y-%m-%d'] } }).format(ticks), ['2015-09-01', '2015-09-02']);
  assert.deepEqual(datetime({ formats: { days: ['%Y-%m-%d', '%d'] } }).format(ticks), ['1', '2']);
  // A single string is accepted as a one-element list; unknown keys are ignored.
  assert.deepEqual(datetime({ formats: { days: '%a %d', bogus: ['x'] } }).format(ticks), ['Tue 01', 'Wed 02']);
  assert.deepEqual(datetime().format([]), []);
});

test('strftime: the directives the formatter uses, in UTC', () => {
  const t = Date.UTC(2015, 8, 1, 7, 5, 9, 42) + 0.5;
  assert.equal(strftime(t, '%Y-%m-%d %H:%M:%S.%3N %f'), '2015-09-01 07:05:09.042 042500');
  assert.equal(strftime(t, '%a %A %b %B %y %j %-d %e %I%p %%'), 'Tue Tuesday Sep September 15 244 1  1 07AM %');
  assert.equal(strftime(t, '%T %F %Q'), '07:05:09 2015-09-01 %Q');
});

// ------------------------------------------------------------ categorical

test('categorical: factor strings unchanged', () => {
  const f = formatterFor(model('CategoricalTickFormatter'));
  assert.deepEqual(f.format(['a', 'low', 'b:0.3']), ['a', 'low', 'b:0.3']);
});

// ------------------------------------------------------------ Numeral

test('numeral: default format 0,0 and rounding attribute', () => {
  assert.deepEqual(formatterFor(model('NumeralTickFormatter')).format([0, 1234.5, 1234567, -9876.4]),
    ['0', '1,235', '1,234,567', '-9,876']);
  const floor = formatterFor(model('NumeralTickFormatter', { format: '0.0', rounding: 'floor' }));
  assert.deepEqual(floor.format([1.29, -1.21]), ['1.2', '-1.3']);
  const ceil = formatterFor(model('NumeralTickFormatter', { format: '0', rounding: 'roundup' }));
  assert.deepEqual(ceil.format([1.1, 2]), ['2', '2']);
});

test('numeral: decimals fixed and optional', () => {
  assert.equal(numeralFormat(3.14159, '0.00'), '3.14');
  assert.equal(numeralFormat(3, '0.00'), '3.00');
  assert.equal(numeralFormat(1.5, '0.[00]'), '1.5');
  assert.equal(numeralFormat(1, '0.[00]'), '1');
  assert.equal(numeralFormat(1.256, '0.0[0]'), '1.26');
  assert.equal(numeralFormat(1234.5678, '0,0.00'), '1,234.57');
});

test('numeral: percent, currency, abbreviations, sign, parentheses', () => {
  assert.equal(numeralFormat(0.5, '0%'), '50%');
  assert.equal(numeralFormat(0.1234, '0.0 %'), '12.3 %');
  assert.equal(numeralFormat(1234.5, '$0,0.00'), '$1,234.50');
  assert.equal(numeralFormat(-1234.5, '$0,0.00'), '-$1,234.50');
  assert.equal(numeralFormat(-1234, '($0,0)'), '($1,234)');
  assert.equal(numeralFormat(12, '0 $'), '12 $');
  assert.equal(numeralFormat(1234, '0.0a'), '1.2k');
  assert.equal(numeralFormat(2500000, '0.0a'), '2.5m');
  assert.equal(numeralFormat(3e9, '0a'), '3b');
  assert.equal(numeralFormat(-4.2e12, '0.0 a'), '-4.2 t');
  assert.equal(numeralFormat(999, '0a'), '999');
  assert.equal(numeralFormat(5, '+0'), '+5');
  assert.equal(numeralFormat(-5, '+0'), '-5');
  assert.equal(numeralFormat(-5, '(0)'), '(5)');
  assert.equal(numeralFormat(22, '0o'), '22nd');
  assert.equal(numeralFormat(3725, '00:00:00'), '1:02:05');
});

// ------------------------------------------------------------ Printf

test('printf: formatter default %s and format attribute', () => {
  assert.deepEqual(formatterFor(model('PrintfTickFormatter')).format([1, 2.5]), ['1', '2.5']);
  assert.deepEqual(formatterFor(model('PrintfTickFormatter', { format: '%.1f m' })).format([1, 2.25]), ['1.0 m', '2.3 m']);
});

test('printf: conversions, width and flags', () => {
  assert.equal(sprintf('%d', 42.9), '42');
  assert.equal(sprintf('%i', -42.9), '-42');
  assert.equal(sprintf('%f', 1.5), '1.5');
  assert.equal(sprintf('%.2f', 3.14159), '3.14');
  assert.equal(sprintf('%5.2f', 3.14159), ' 3.14');
  assert.equal(sprintf('%-7.2f|', -3.14159), '-3.14  |');
  assert.equal(sprintf('%e', 1500), '1.5e+3');
  assert.equal(sprintf('%.2e', 1500), '1.50e+3');
  assert.equal(sprintf('%g', 0.0001), '0.0001');
  assert.equal(sprintf('%.3g', 1234567), '1.23e+6');
  assert.equal(sprintf('%s', 7), '7');
  assert.equal(sprintf('%x', 255), 'ff');
  assert.equal(sprintf('%X', 255), 'FF');
  assert.equal(sprintf('%#x', 255), '0xff');
  assert.equal(sprintf('%o', 8), '10');
  assert.equal(sprintf('%d%%', 50), '50%');
  assert.equal(sprintf('%+d', 5), '+5');
  assert.equal(sprintf('%+d', -5), '-5');
  assert.equal(sprintf('% d', 5), ' 5');
  assert.equal(sprintf('%05d', 42), '00042');
  assert.equal(sprintf('%05d', -42), '-0042');
  assert.equal(sprintf('%08.3f', -3.14159), '-003.142');
  assert.equal(sprintf('%d', -0.5), '0');
  assert.equal(sprintf('x=%d, y=%.1f', 3), 'x=3, y=3.0');
  assert.equal(sprintf('%q and text'), '%q and text');
});
