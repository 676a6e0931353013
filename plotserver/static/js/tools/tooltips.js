// tooltips.js - the text of a hover tooltip (MODELS.md 4.14 HoverTool).
// Pure module.
//
// `tooltips` is either a list of [label, template] rows or one HTML
// template string.  A template may name
//   $index  the data row            $x, $y    the cursor in data coordinates
//   $sx, $sy  the cursor in canvas px   @column, @{column name}  that row's value
// each optionally followed by a format in braces: a Numeral.js format as
// NumeralTickFormatter takes ({0.00}, {0,0}, {0.0%}, {$0.0a}), or {safe} (a
// value that is HTML and is inserted as such; everything else is escaped).

import { numeralFormat } from '../core/formatters.js';

const TOKEN = /([$@])(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g;

export const DEFAULT_TOOLTIPS = [['index', '$index'], ['data (x, y)', '($x, $y)'], ['canvas (x, y)', '($sx, $sy)']];

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

/** A number as a person wants it in a tooltip (integers whole, others to 3 places). */
export function formatNumber(value) {
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-3) return value.toExponential(3);
  return value.toFixed(3);
}

/** `value` through a Numeral.js format ("0.00", "0,0", "0.0%", "$0.0a", ...), as NumeralTickFormatter uses. */
export function applyFormat(value, format) {
  if (typeof value !== 'number' || !Number.isFinite(value) || !format) return formatNumber(value);
  return numeralFormat(value, format);
}

/**
 * Fill `template` for one hit.  vars: {index, x, y, sx, sy}; column(name)
 * gives that row's value of a data column (undefined when there is none).
 * Returns HTML.
 */
export function fillTemplate(template, vars, column) {
  return String(template).replace(TOKEN, (whole, sigil, rawName, rawFormat) => {
    const name = rawName.startsWith('{') ? rawName.slice(1, -1) : rawName;
    const format = rawFormat ? rawFormat.slice(1, -1) : '';
    let value;
    if (sigil === '$') {
      if (!(name in vars)) return escapeHtml(whole);
      value = vars[name];
    } else {
      value = column(name);
      if (value === undefined) return '???';
    }
    if (format === 'safe') return String(value);
    return escapeHtml(applyFormat(value, format));
  });
}

/**
 * The rows of a tooltip: [[labelHtml, valueHtml], ...] for a list of
 * tooltips, or {html} for a template string; null when the tool shows none.
 */
export function tooltipContent(tooltips, vars, column) {
  if (tooltips === null) return null;
  const spec = tooltips === undefined ? DEFAULT_TOOLTIPS : tooltips;
  if (typeof spec === 'string') return { html: fillTemplate(spec, vars, column) };
  if (!Array.isArray(spec)) return null;
  return {
    rows: spec.filter((row) => Array.isArray(row) && row.length >= 2)
      .map(([label, template]) => [escapeHtml(label), fillTemplate(template, vars, column)]),
  };
}
