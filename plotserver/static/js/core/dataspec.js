// dataspec.js - evaluating vectorized properties against a data source
// (MODELS.md 3.1-3.4).  Pure module.
//
// A glyph attribute is {field: "col"}, {value: v} (either maybe with
// "units"), a bare constant, or absent.  Evaluated against a source's
// `data` it becomes one value per row.  Numeric columns become typed arrays
// once per received column (cached by the array object itself, which a
// push replaces), never once per frame.

/** A plain numeric attribute: the number when it is a finite one, else `fallback`. */
export function numberOr(value, fallback) {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** {field, value, units} of an attribute, following BokehJS's rules. */
export function specParts(attr) {
  if (attr !== null && typeof attr === 'object' && !Array.isArray(attr)) {
    // `value` wins when present, even when it is null.
    if (attr.value !== undefined) return { field: undefined, value: attr.value, units: attr.units };
    return { field: attr.field, value: undefined, units: attr.units };
  }
  return { field: undefined, value: attr, units: undefined };
}

/** Row count of a source's data: the length of its first column (1 if none). */
export function rowCount(data) {
  if (data && typeof data === 'object') {
    for (const key in data) {
      const column = data[key];
      return Array.isArray(column) || ArrayBuffer.isView(column) ? column.length : 1;
    }
  }
  return 1;
}

/** The column named by `attr` if the data has it, else undefined. */
export function fieldColumn(attr, data) {
  const { field } = specParts(attr);
  if (field === undefined || field === null || !data) return undefined;
  const column = data[field];
  return Array.isArray(column) || ArrayBuffer.isView(column) ? column : undefined;
}

/** The constant of an attribute (undefined when it names a field). */
export function constantOf(attr, fallback) {
  if (attr === undefined) return fallback;
  const { field, value } = specParts(attr);
  if (value !== undefined) return value;
  if (field !== undefined) return fallback;
  return attr;
}

// One conversion per received column object.
const numberCache = new WeakMap();

/**
 * Wire number -> double.  Strings "NaN"/"Infinity"/"-Infinity" (how bokeh
 * sends non-finite floats) and numeric strings convert like Number(); null
 * and anything else becomes NaN, so the item is skipped rather than drawn
 * at 0.
 */
function toNumber(v) {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return NaN;
}

/** A flat column of wire numbers as a Float64Array (cached). */
export function numberColumn(column) {
  if (column instanceof Float64Array) return column;
  let out = numberCache.get(column);
  if (out === undefined) {
    // The engine's own conversion (ToNumber per element) is several times
    // faster than a loop and right for numbers, "NaN"/"Infinity" strings and
    // booleans; only null, which it makes 0, needs the slow path (a gap).
    out = new Float64Array(column);
    if (column.indexOf(null) >= 0) {
      for (let i = 0; i < column.length; i++) out[i] = toNumber(column[i]);
    }
    numberCache.set(column, out);
  }
  return out;
}

/** Fill a typed array with one constant (NaN for a non-number). */
export function constantArray(n, value) {
  const out = new Float64Array(n);
  out.fill(value === undefined || value === null ? NaN : toNumber(value));
  return out;
}

/**
 * A numeric spec evaluated to a Float64Array of `n` rows.  `convert`
 * (optional) turns a raw column into numbers itself (categorical
 * coordinates).
 */
export function evalNumbers(attr, data, n, { fallback, convert } = {}) {
  const column = fieldColumn(attr, data);
  if (column !== undefined) return convert ? convert(column) : numberColumn(column);
  return constantArray(n, constantOf(attr, fallback));
}

/**
 * A spec whose items are lists (MultiLine/Patches xs/ys): an array of
 * Float64Arrays, one per row.
 */
export function evalNested(attr, data, n, convert) {
  const column = fieldColumn(attr, data);
  if (column === undefined) {
    const value = constantOf(attr, undefined);
    const one = Array.isArray(value) ? (convert ? convert(value) : numberColumn(value)) : new Float64Array(0);
    return Array.from({ length: n }, () => one);
  }
  return Array.from(column, (item) => (Array.isArray(item) || ArrayBuffer.isView(item)
    ? (convert ? convert(item) : numberColumn(item))
    : new Float64Array(0)));
}

/**
 * A spec evaluated to raw values (colours, strings, images): either
 * {constant: v} or {values: column}.  Keeping the constant form lets the
 * drawing code set a style once for all items.
 */
export function evalRaw(attr, data, fallback) {
  const column = fieldColumn(attr, data);
  if (column !== undefined) return { values: column };
  return { constant: constantOf(attr, fallback) };
}

export function rawAt(evaluated, i) {
  return evaluated.values ? evaluated.values[i] : evaluated.constant;
}

/** Units of a distance or angle spec: the spec's own, else <name>_units, else `fallback`. */
export function unitsOf(attrs, name, fallback) {
  const own = specParts(attrs[name]).units;
  if (typeof own === 'string') return own;
  const side = attrs[`${name}_units`];
  return typeof side === 'string' ? side : fallback;
}

/**
 * An angle spec in radians, negated for the canvas (whose y axis points
 * down, so counter-clockwise in data is clockwise on screen).
 */
export function evalAngles(attrs, name, data, n, fallback, withUnits = true) {
  const raw = evalNumbers(attrs[name], data, n, { fallback });
  const scale = withUnits && unitsOf(attrs, name, 'rad') === 'deg' ? Math.PI / 180 : 1;
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = -raw[i] * scale;
  return out;
}
