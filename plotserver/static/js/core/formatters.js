// formatters.js - tick labels.
//
// Pure functions (no DOM, no network) reproducing the label rules of BokehJS
// 0.10 (MODELS.md §5.10, §4.11):
//
//   formatterFor(model).format(ticks) -> string[]
//
// format() always gets the whole list of kept major ticks, because several
// rules compare neighbouring labels or look at the spacing of the ticks.

import { attrOf } from './tickers.js';

// ------------------------------------------------------------ BasicTickFormatter

/** toFixed without the trailing zeros of the fraction (and a bare point). */
function fixedTrimmed(value, digits) {
  return value.toFixed(digits).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

const hasRepeat = (labels) => labels.some((label, i) => i > 0 && label === labels[i - 1]);

function basicFormatter(model) {
  const precision = attrOf(model, 'precision', 'auto');
  const useScientific = attrOf(model, 'use_scientific', true) !== false;
  const limitHigh = 10 ** Number(attrOf(model, 'power_limit_high', 5));
  const limitLow = 10 ** Number(attrOf(model, 'power_limit_low', -3));

  return {
    format(ticks) {
      if (!ticks || ticks.length === 0) return [];
      const values = ticks.map(Number);
      // Ticks within a ten-thousandth of a step of 0 are really 0 (float
      // noise like 5.55e-17) and must not switch the axis to scientific.
      const eps = values.length >= 2 ? Math.abs(values[1] - values[0]) / 10000 : 0;
      const scientific = useScientific && values.some((v) => {
        const a = Math.abs(v);
        return a > eps && (a >= limitHigh || a <= limitLow);
      });

      // Scientific labels keep their zeros ("1.000e-4"); fixed ones lose them.
      const write = (digits) => values.map((v) => (scientific ? v.toExponential(digits) : fixedTrimmed(v, digits)));

      if (typeof precision === 'number' && Number.isFinite(precision)) {
        // BokehJS passes `precision || undefined`: 0 therefore means toFixed(0)
        // but toExponential() with as many digits as needed.
        if (precision === 0) return scientific ? values.map((v) => v.toExponential()) : write(0);
        return write(precision);
      }
      // "auto": the fewest digits (from 3 up) that keep neighbours distinct.
      // BokehJS means to start from the last precision found, but in 0.10
      // every call starts again at 3, so we do too.
      let labels = [];
      for (let digits = 3; digits <= 15; digits += 1) {
        labels = write(digits);
        if (!hasRepeat(labels)) break;
      }
      return labels;
    },
  };
}

// ------------------------------------------------------------ LogTickFormatter

function logFormatter(model) {
  const ticker = attrOf(model, 'ticker', undefined);
  // The base comes from the referenced LogTicker (BokehJS default 10); an
  // unresolved reference has no attributes and also gives 10.
  const base = Number(attrOf(ticker, 'base', 10));
  return {
    format(ticks) {
      if (!ticks || ticks.length === 0) return [];
      const labels = ticks.map((t) => `${base}^${Math.round(Math.log(t) / Math.log(base))}`);
      // Several ticks in one decade (narrow log range): powers would repeat,
      // so the whole axis falls back to plain numbers.
      return hasRepeat(labels) ? basicFormatter(undefined).format(ticks) : labels;
    },
  };
}

// ------------------------------------------------------------ strftime (UTC)

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
  'August', 'September', 'October', 'November', 'December'];

/** UTC fields of a tick (ms since the epoch, possibly fractional). */
function dateParts(t) {
  // Work in whole microseconds so that float noise in ticks like
  // 1441065600000.05 cannot leak into the displayed fields.
  const totalUs = Math.round(t * 1000);
  const ms = Math.floor(totalUs / 1000);
  const d = new Date(ms);
  const jan1 = new Date(0);
  jan1.setUTCFullYear(d.getUTCFullYear(), 0, 1);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    micro: totalUs - Math.floor(totalUs / 1e6) * 1e6, // microseconds within the second
    yday: Math.floor((ms - jan1.getTime()) / 86400000) + 1,
    epochSeconds: Math.floor(ms / 1000),
  };
}

const pad = (value, width, char) => String(value).padStart(width, char);

/**
 * strftime on UTC fields. Besides the usual directives: %f microseconds
 * (6 digits), %<n>N the first n digits of the fraction of the second (%3N =
 * milliseconds; %N = 9 digits). Flags: %-d no padding, %_d space padding,
 * %0e zero padding, %^a upper case. Unknown directives stay as written.
 */
export function strftime(t, format) {
  const p = typeof t === 'number' ? dateParts(t) : t;
  const hour12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  return String(format).replace(/%([-_0^]?)(\d*)([a-zA-Z%])/g, (whole, flag, digits, code) => {
    // [value, default padding width, default pad character]
    const num = (value, width, char = '0') => {
      if (flag === '-') return String(value);
      const padChar = flag === '_' ? ' ' : flag === '0' ? '0' : char;
      return pad(value, width, padChar);
    };
    let out;
    switch (code) {
      case 'a': out = DAY_NAMES[p.weekday].slice(0, 3); break;
      case 'A': out = DAY_NAMES[p.weekday]; break;
      case 'b': case 'h': out = MONTH_NAMES[p.month].slice(0, 3); break;
      case 'B': out = MONTH_NAMES[p.month]; break;
      case 'C': out = num(Math.floor(p.year / 100), 2); break;
      case 'd': out = num(p.day, 2); break;
      case 'D': out = strftime(p, '%m/%d/%y'); break;
      case 'e': out = num(p.day, 2, ' '); break;
      case 'f': out = num(p.micro, 6); break;
      case 'F': out = strftime(p, '%Y-%m-%d'); break;
      case 'H': out = num(p.hour, 2); break;
      case 'I': out = num(hour12, 2); break;
      case 'j': out = num(p.yday, 3); break;
      case 'k': out = num(p.hour, 2, ' '); break;
      case 'l': out = num(hour12, 2, ' '); break;
      case 'L': out = num(Math.floor(p.micro / 1000), 3); break;
      case 'm': out = num(p.month + 1, 2); break;
      case 'M': out = num(p.minute, 2); break;
      case 'N': {
        const width = digits === '' ? 9 : Number(digits);
        out = pad(p.micro, 6, '0').padEnd(Math.max(width, 6), '0').slice(0, width);
        break;
      }
      case 'p': out = p.hour < 12 ? 'AM' : 'PM'; break;
      case 'P': out = p.hour < 12 ? 'am' : 'pm'; break;
      case 'R': out = strftime(p, '%H:%M'); break;
      case 's': out = String(p.epochSeconds); break;
      case 'S': out = num(p.second, 2); break;
      case 'T': out = strftime(p, '%H:%M:%S'); break;
      case 'u': out = String(p.weekday === 0 ? 7 : p.weekday); break;
      case 'w': out = String(p.weekday); break;
      case 'y': out = num(((p.year % 100) + 100) % 100, 2); break;
      case 'Y': out = String(p.year); break;
      case 'z': out = '+0000'; break;
      case 'Z': out = 'UTC'; break;
      case '%': out = '%'; break;
      default: return whole;
    }
    return flag === '^' ? out.toUpperCase() : out;
  });
}

// ------------------------------------------------------------ DatetimeTickFormatter

// Finest to coarsest; promotion walks this list.
const RESOLUTIONS = ['microseconds', 'milliseconds', 'seconds', 'minsec', 'minutes',
  'hourmin', 'hours', 'days', 'months', 'years'];

// BokehJS's two-digit year reads the local time zone and adds one for
// August-December (2015-09-01 -> '16). The reference images were made in
// UTC, where plotserver works too; we use the UTC year and no +1.
const twoDigitYear = (p) => `'${pad(((p.year % 100) + 100) % 100, 2, '0')}`;
const fourDigitYear = (p) => pad(p.year, 4, '0');

const DEFAULT_FORMATS = {
  microseconds: ['%fus'],
  milliseconds: ['%3Nms', '%S.%3Ns'],
  seconds: ['%Ss'],
  minsec: [':%M:%S'],
  minutes: [':%M', '%Mm'],
  hourmin: ['%H:%M'],
  hours: ['%Hh', '%H:%M'],
  days: ['%m/%d', '%a%d'],
  months: ['%m/%Y', '%b%y'],
  years: ['%Y', twoDigitYear, fourDigitYear],
};

// The field that, when 0, sends a label to the next coarser resolution.
const PROMOTION_FIELD = { seconds: 'second', minsec: 'minute', minutes: 'minute', hourmin: 'hour', hours: 'hour' };

const render = (format, parts) => (typeof format === 'function' ? format(parts) : strftime(parts, format));

/** Resolution of a list of ticks from their mean spacing `r` and `span` (s). */
function resolutionOf(r, span) {
  const s = 1.1 * r; // NaN (a single tick) fails every test and ends in years
  if (s < 0.001) return 'microseconds';
  if (s < 1) return 'milliseconds';
  if (s < 60) return span >= 60 ? 'minsec' : 'seconds';
  if (s < 3600) return span >= 3600 ? 'hourmin' : 'minutes';
  if (s < 86400) return 'hours';
  if (s < 31 * 86400) return 'days';
  if (s < 365 * 86400) return 'months';
  return 'years';
}

/** "09/01" -> "9/01", "05s" -> "5s", "00:30" -> "0:30", ":50" unchanged. */
function stripLeadingZeros(label) {
  const stripped = label.replace(/^0+/, '');
  if (stripped === label) return label;
  return /^[0-9]/.test(stripped) ? stripped : `0${stripped}`;
}

function datetimeFormatter(model) {
  const overrides = attrOf(model, 'formats', {});
  const lists = { ...DEFAULT_FORMATS };
  if (overrides && typeof overrides === 'object') {
    for (const [name, list] of Object.entries(overrides)) {
      if (!(name in lists)) continue;
      const formats = (Array.isArray(list) ? list : [list]).filter((f) => typeof f === 'string');
      if (formats.length) lists[name] = formats;
    }
  }
  // Like BokehJS, rank each resolution's formats by the length they render
  // for the current time (once, when the formatter is made) and use the
  // shortest, first on ties. Only user formats with variable-length fields
  // (%B, %A, %-d ...) can make the moment matter.
  const now = dateParts(Date.now());
  const chosen = {};
  for (const name of RESOLUTIONS) {
    chosen[name] = lists[name].reduce((best, f) => (render(f, now).length < render(best, now).length ? f : best));
  }

  function label(t, resolution) {
    const parts = dateParts(t);
    let k = RESOLUTIONS.indexOf(resolution);
    let text = render(chosen[resolution], parts);
    let first = true;
    // Promotion: a tick on a round value of the next coarser unit is labelled
    // with that unit (midnight on an hours axis shows the date). Days and
    // coarser have no promotion field, which ends the walk.
    while (PROMOTION_FIELD[RESOLUTIONS[k]] && parts[PROMOTION_FIELD[RESOLUTIONS[k]]] === 0) {
      if (first) {
        // Hybrid axes: at minute 0 (hour 0) a tick with non-zero seconds
        // (minutes) shows the finer unit alone rather than a promotion.
        if (resolution === 'minsec' && parts.second !== 0) {
          text = render(chosen.seconds, parts);
          break;
        }
        if (resolution === 'hourmin' && parts.minute !== 0) {
          text = render(chosen.minutes, parts);
          break;
        }
        first = false;
      }
      k += 1;
      text = render(chosen[RESOLUTIONS[k]], parts);
    }
    return stripLeadingZeros(text);
  }

  return {
    format(ticks) {
      if (!ticks || ticks.length === 0) return [];
      const values = ticks.map(Number);
      const span = Math.abs(values[values.length - 1] - values[0]) / 1000;
      const resolution = resolutionOf(span / (values.length - 1), span);
      return values.map((t) => (Number.isFinite(t) ? label(t, resolution) : String(t)));
    },
  };
}

// ------------------------------------------------------------ Categorical

function categoricalFormatter() {
  return { format: (ticks) => (ticks || []).map((t) => (typeof t === 'string' ? t : String(t))) };
}

// ------------------------------------------------------------ Numeral.js subset

// Numeral.js 1.5.3 semantics for the common format strings. Only the 'en'
// language is implemented; other `language` values use it too (their
// delimiters and abbreviations differ, nothing else).
const ROUNDING = {
  round: Math.round,
  nearest: Math.round,
  floor: Math.floor,
  rounddown: Math.floor,
  ceil: Math.ceil,
  roundup: Math.ceil,
};

/** Numeral's toFixed: round with `roundFn` at `digits`, then drop up to
 * `optional` trailing zeros (the bracketed digits of "0.0[00]"). */
function roundedFixed(value, digits, roundFn, optional = 0) {
  const power = 10 ** digits;
  let out = (roundFn(value * power) / power).toFixed(digits);
  if (optional > 0) out = out.replace(new RegExp(`0{1,${optional}}$`), '');
  return out;
}

function ordinal(n) {
  const last = Math.abs(n) % 10;
  if (Math.floor((Math.abs(n) % 100) / 10) === 1) return 'th';
  return last === 1 ? 'st' : last === 2 ? 'nd' : last === 3 ? 'rd' : 'th';
}

/** A plain number: '0,0', '0.00', '0.[00]', '0.0a', '+0', '(0)', '0o'. */
function numeralNumber(value, format, roundFn) {
  let negParens = false;
  let signed = false;
  if (format.includes('(')) {
    negParens = true;
    format = format.replace(/[()]/g, '');
  } else if (format.includes('+')) {
    signed = true;
    format = format.replace(/\+/g, '');
  }

  let abbr = '';
  if (format.includes('a')) {
    abbr = format.includes(' a') ? ' ' : '';
    format = format.replace(/ ?a/, '');
    const a = Math.abs(value);
    if (a >= 1e12) [abbr, value] = [`${abbr}t`, value / 1e12];
    else if (a >= 1e9) [abbr, value] = [`${abbr}b`, value / 1e9];
    else if (a >= 1e6) [abbr, value] = [`${abbr}m`, value / 1e6];
    else if (a >= 1e3) [abbr, value] = [`${abbr}k`, value / 1e3];
    else abbr = '';
  }

  let ord = '';
  if (format.includes('o')) {
    ord = (format.includes(' o') ? ' ' : '') + ordinal(value);
    format = format.replace(/ ?o/, '');
  }

  // "0[.]00": the decimal point (and its digits) only when they are non-zero.
  const optionalPoint = format.includes('[.]');
  if (optionalPoint) format = format.replace('[.]', '.');

  const point = format.indexOf('.');
  let whole;
  let fraction = '';
  if (point >= 0) {
    const spec = format.slice(point + 1).replace(/[^0[\]]/g, '');
    const [fixed, optional = ''] = spec.replace(']', '').split('[');
    const text = roundedFixed(value, fixed.length + optional.length, roundFn, optional.length);
    [whole, fraction = ''] = text.split('.');
    fraction = fraction.length ? `.${fraction}` : '';
    if (optionalPoint && Number(fraction.slice(1)) === 0) fraction = '';
  } else {
    whole = roundedFixed(value, 0, roundFn);
  }

  const negative = whole.startsWith('-');
  if (negative) whole = whole.slice(1);
  if (format.includes(',')) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  if (point === 0) whole = ''; // ".00" shows the fraction alone

  const sign = negative ? (negParens ? '(' : '-') : signed ? '+' : '';
  return `${sign}${whole}${fraction}${ord}${abbr}${negative && negParens ? ')' : ''}`;
}

/** '0%' and '0.0 %': the value times 100 with a percent sign. */
function numeralPercent(value, format, roundFn) {
  const space = format.includes(' %') ? ' ' : '';
  const out = numeralNumber(value * 100, format.replace(/ ?%/, ''), roundFn);
  return out.endsWith(')') ? `${out.slice(0, -1)}${space}%)` : `${out}${space}%`;
}

/**
 * '$0,0.00', '0.00 $', '($0)': as in Numeral.js, a '$' among the first two
 * characters of the format goes in front of the digits (after a sign or
 * parenthesis, unless the '$' precedes that in the format), any other '$'
 * goes at the end (inside a closing parenthesis). A space next to the '$'
 * is kept.
 */
function numeralCurrency(value, format, roundFn) {
  const at = format.indexOf('$');
  const space = /\$ | \$/.test(format) ? ' ' : '';
  const out = numeralNumber(value, format.replace(/ ?\$ ?/, ''), roundFn);
  if (at > 1) return out.endsWith(')') ? `${out.slice(0, -1)}${space}$)` : `${out}${space}$`;
  const signAt = format.search(/[(+-]/);
  const afterSign = /^[(+-]/.test(out) && !(signAt >= 0 && at < signAt);
  return afterSign ? `${out[0]}$${space}${out.slice(1)}` : `$${space}${out}`;
}

/** '00:00:00': seconds as h:mm:ss. */
function numeralTime(value) {
  const hours = Math.floor(value / 3600);
  const minutes = Math.floor((value - hours * 3600) / 60);
  const seconds = Math.round(value - hours * 3600 - minutes * 60);
  return `${hours}:${pad(minutes, 2, '0')}:${pad(seconds, 2, '0')}`;
}

export function numeralFormat(value, format, rounding = 'round') {
  const roundFn = ROUNDING[rounding] || Math.round;
  format = String(format);
  if (format.includes('$')) return numeralCurrency(value, format, roundFn);
  if (format.includes('%')) return numeralPercent(value, format, roundFn);
  if (format.includes(':')) return numeralTime(value);
  return numeralNumber(value, format, roundFn);
}

function numeralFormatter(model) {
  const format = attrOf(model, 'format', '0,0');
  const rounding = attrOf(model, 'rounding', 'round');
  return { format: (ticks) => (ticks || []).map((t) => numeralFormat(Number(t), format, rounding)) };
}

// ------------------------------------------------------------ printf

/**
 * sprintf with one argument used by every conversion. Follows sprintf.js,
 * the library behind BokehJS 0.10's PrintfTickFormatter, where it differs
 * from C: %f, %e and %g without a precision print JavaScript's shortest form
 * ("1.5", not "1.500000"), %.Ng is toPrecision(N) (zeros kept). Otherwise C:
 * flags - + space 0 #, width, precision; %d/%i truncate toward zero;
 * %x %X %o %b %u take the value as an unsigned 32-bit integer.
 */
export function sprintf(format, arg) {
  const re = /%(?:\d+\$)?([-+ 0#]*)(\d+)?(?:\.(\d+))?([diufFeEgGxXobcs%])/g;
  return String(format).replace(re, (whole, flags, width, precision, code) => {
    if (code === '%') return '%';
    const x = Number(arg);
    const p = precision === undefined ? undefined : Number(precision);
    let body;
    switch (code) {
      case 'd': case 'i': body = String(Math.abs(Math.trunc(x))); break;
      case 'u': body = String(x >>> 0); break;
      case 'f': case 'F': body = p === undefined ? String(Math.abs(x)) : Math.abs(x).toFixed(p); break;
      case 'e': case 'E': body = p === undefined ? Math.abs(x).toExponential() : Math.abs(x).toExponential(p); break;
      case 'g': case 'G': body = p === undefined ? String(Math.abs(x)) : Math.abs(x).toPrecision(Math.max(p, 1)); break;
      case 'x': case 'X': body = (x >>> 0).toString(16); break;
      case 'o': body = (x >>> 0).toString(8); break;
      case 'b': body = (x >>> 0).toString(2); break;
      case 'c': body = String.fromCharCode(x); break;
      default: // 's'
        body = String(arg);
        if (p !== undefined) body = body.slice(0, p);
    }
    if ('EGFX'.includes(code)) body = body.toUpperCase();
    if (flags.includes('#') && body !== '0') {
      if (code === 'x' || code === 'X') body = `0${code}${body}`;
      if (code === 'o') body = `0${body}`;
    }
    // Only the signed conversions get a sign (of the value actually shown:
    // %d of -0.5 prints 0).
    let sign = '';
    if ('dieEfFgG'.includes(code)) {
      const shown = code === 'd' || code === 'i' ? Math.trunc(x) : x;
      if (shown < 0) sign = '-';
      else if (flags.includes('+')) sign = '+';
      else if (flags.includes(' ')) sign = ' ';
    }
    const fill = Math.max(0, Number(width || 0) - sign.length - body.length);
    if (flags.includes('-')) return sign + body + ' '.repeat(fill);
    if (flags.includes('0')) return sign + '0'.repeat(fill) + body;
    return ' '.repeat(fill) + sign + body;
  });
}

function printfFormatter(model) {
  const format = attrOf(model, 'format', '%s');
  return { format: (ticks) => (ticks || []).map((t) => sprintf(format, t)) };
}

// ------------------------------------------------------------ entry point

/** The formatter for `model` ({type, attributes[, get]}); unknown -> Basic. */
export function formatterFor(model) {
  switch (model && typeof model === 'object' ? model.type : undefined) {
    case 'LogTickFormatter': return logFormatter(model);
    case 'DatetimeTickFormatter': return datetimeFormatter(model);
    case 'CategoricalTickFormatter': return categoricalFormatter();
    case 'NumeralTickFormatter': return numeralFormatter(model);
    case 'PrintfTickFormatter': return printfFormatter(model);
    default: return basicFormatter(model);
  }
}
