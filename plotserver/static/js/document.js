// document.js - the browser's live copy of one plot document.
//
// Pure module: no DOM, no network.  bokeh.js feeds it the envelopes it gets
// from objinfo/bokehinfo and the messages it gets from the WebSocket; the
// node tests in tests/js exercise it directly.
//
// Wire facts this relies on (PROTOCOL.md 2.3, 7.3; MODELS.md 1.1-1.2):
//   * an envelope is {type, id, attributes: {id, doc, ...}} (+ optional subtype);
//     peers index objects by attributes.id, not by the top-level id;
//   * a reference is an object whose keys are exactly {id, type} or
//     {id, subtype, type}; anything else, however ref-like, is plain data;
//   * envelopes come in any order, so references may point forward: we store
//     them as written and look targets up by id only when someone asks.
// A data source's all-number columns may arrive as Float64Arrays (frames.js):
// every walk over values here treats a typed array as a list of numbers.

/** A JSON list: an array, or a typed array standing for a list of numbers. */
export function isList(value) {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * `attributes` as JSON should carry them: a `data` dict's typed columns
 * (which JSON.stringify would write as {"0": ..}) become plain lists.
 * Only a whole-model save needs this; the rest is shared, not copied.
 */
export function wireAttributes(attributes) {
  const data = attributes.data;
  if (!data || typeof data !== 'object' || !Object.values(data).some(ArrayBuffer.isView)) return attributes;
  const plain = {};
  for (const [name, column] of Object.entries(data)) plain[name] = ArrayBuffer.isView(column) ? Array.from(column) : column;
  return { ...attributes, data: plain };
}

/**
 * True when `value` has the shape of a reference.  Shape alone decides
 * (that is what the original BokehJS did, so a user dict with exactly these
 * keys is treated as a reference there too).
 */
export function isRef(value) {
  if (value === null || typeof value !== 'object' || isList(value)) return false;
  const keys = Object.keys(value);
  if (keys.length < 2 || keys.length > 3) return false;
  for (const key of keys) {
    if (key !== 'id' && key !== 'type' && key !== 'subtype') return false;
  }
  // Two keys must be id+type; three keys can then only add subtype.
  return 'id' in value && 'type' in value;
}

// value (object or array) -> the references inside it.  Attribute values
// are never changed in place (a push or a tool puts a new value), so what
// a value holds is found once: walking a million-point column on every
// push that touches the document structure took 140 ms.
const refsCache = new WeakMap();
const NO_REFS = Object.freeze([]);

/** Every reference anywhere inside `value`, in order (cached per object). */
export function refsIn(value) {
  if (value === null || typeof value !== 'object') return NO_REFS;
  let refs = refsCache.get(value);
  if (refs === undefined) {
    refs = [];
    collectRefs(value, refs);
    if (!refs.length) refs = NO_REFS;
    refsCache.set(value, refs);
  }
  return refs;
}

function collectRefs(value, out) {
  if (ArrayBuffer.isView(value)) return; // numbers only
  if (Array.isArray(value)) {
    // Columns of a million numbers: skip primitives without a call each.
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item !== null && typeof item === 'object') collectRefs(item, out);
    }
  } else if (isRef(value)) {
    out.push(value);
  } else {
    for (const item of Object.values(value)) if (item !== null && typeof item === 'object') collectRefs(item, out);
  }
}

/**
 * `value`, but wherever it equals what we had, what we had: an unchanged
 * value keeps its identity, so what was computed from it stays valid.  The
 * echo of our own selection carries a data source's (maybe million-point)
 * columns unchanged; a stream that replaces y keeps the x column, whose
 * numbers then need not be converted again.  Dicts (a source's `data`)
 * are merged one level deep.
 */
export function keepUnchanged(before, value) {
  if (!isPlainDict(before) || !isPlainDict(value)) return sameJson(before, value) ? before : value;
  const keys = Object.keys(value);
  let same = keys.length === Object.keys(before).length;
  const merged = {};
  for (const key of keys) {
    const kept = key in before && sameJson(before[key], value[key]);
    merged[key] = kept ? before[key] : value[key];
    same = same && kept;
  }
  return same ? before : merged;
}

function isPlainDict(value) {
  return value !== null && typeof value === 'object' && !isList(value) && !isRef(value);
}

/** Deep equality of two JSON values (stops at the first difference). */
export function sameJson(a, b) {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Float64Array && b instanceof Float64Array) return sameNumbers(a, b);
  if (isList(a)) {
    if (!isList(b) || a.length !== b.length) return false;
    // Columns that differ mostly differ at either end or in the middle: look there first.
    const last = a.length - 1;
    const probes = last >= 0 ? [0, last, last >> 1] : [];
    for (const i of probes) if (a[i] !== b[i] && (typeof a[i] !== 'object' || !sameJson(a[i], b[i]))) return false;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      if (x !== y && !(typeof x === 'object' && sameJson(x, y))) return false;
    }
    return true;
  }
  if (isList(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (!(key in b) || !sameJson(a[key], b[key])) return false;
  return true;
}

/**
 * Two typed columns (frames.js makes every numeric column one), compared in
 * a loop the JIT keeps to plain number compares: an unchanged million-point
 * x column is checked on every push that replaces y.
 */
function sameNumbers(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One object of the document: its raw attributes plus lazy reference lookup. */
export class PlotObject {
  constructor(doc, type, id, attributes, subtype) {
    // Non-enumerable so that console dumps / JSON.stringify of an object do
    // not drag the whole document along.
    Object.defineProperty(this, 'doc', { value: doc, enumerable: false });
    this.type = type;
    this.id = id;
    this.subtype = subtype;
    this.attributes = attributes;
  }

  /** Attribute `name` with every reference in it replaced by its target. */
  get(name) {
    return this.doc.resolve(this.attributes[name]);
  }

  /** The reference that points at this object, in wire form. */
  ref() {
    return this.subtype === undefined
      ? { type: this.type, id: this.id }
      : { type: this.type, subtype: this.subtype, id: this.id };
  }
}

function envelopeId(envelope) {
  const attrs = envelope && envelope.attributes;
  if (attrs && attrs.id !== undefined && attrs.id !== null) return String(attrs.id);
  // attributes.id is mandatory on the wire; the top-level id is only a
  // fallback so that a sloppy envelope is not silently lost.
  if (envelope && envelope.id !== undefined && envelope.id !== null) return String(envelope.id);
  return undefined;
}

export class PlotDocument {
  #objects = new Map(); // id -> PlotObject, in first-seen order

  constructor(envelopes = []) {
    /** Bumped on every change, so a view can tell whether it is stale. */
    this.version = 0;
    if (envelopes.length) this.load(envelopes);
  }

  get size() {
    return this.#objects.size;
  }

  [Symbol.iterator]() {
    return this.#objects.values();
  }

  get(id) {
    return this.#objects.get(String(id));
  }

  has(id) {
    return this.#objects.has(String(id));
  }

  /**
   * Fill in the columns a delta frame left out (frames.js `unchanged`:
   * [spec index, column name, length]) with the ones held: the server sends
   * such a frame only to a page that got the previous push of that object,
   * so they are what it held.  False (and `msg` unusable) when one is not
   * held at that length: then the page must read the document anew.
   */
  fillUnchanged(msg, unchanged) {
    for (const [spec, name, length] of unchanged) {
      const envelope = msg.modelspecs[spec];
      const held = this.get(envelopeId(envelope))?.attributes.data?.[name];
      if (!isList(held) || held.length !== length) return false;
      envelope.attributes.data[name] = held;
    }
    return true;
  }

  /** All objects of one type, in the order they were first loaded. */
  ofType(type) {
    const out = [];
    for (const obj of this.#objects.values()) if (obj.type === type) out.push(obj);
    return out;
  }

  /**
   * Load a list of envelopes (objinfo/bokehinfo all_models, or a modelpush).
   *
   * Phase one creates or updates every object; there is no eager phase two:
   * references stay as written and resolve() looks them up on demand, so the
   * order of the list never matters and a reference to an object that only
   * arrives in a later push starts working as soon as that push is loaded.
   *
   * An existing object gets the received attributes merged over its own
   * (what a Backbone `set` did in BokehJS).  The server always sends the
   * full attribute set, so in practice this is a replacement; merging only
   * matters for a partial envelope, where dropping keys would lose data.
   */
  load(envelopes) {
    const result = { created: [], updated: [], skipped: [] };
    for (const envelope of envelopes || []) {
      const id = envelopeId(envelope);
      const type = envelope && envelope.type;
      if (id === undefined || typeof type !== 'string' || !envelope.attributes
          || typeof envelope.attributes !== 'object') {
        result.skipped.push(envelope);
        continue;
      }
      const existing = this.#objects.get(id);
      if (existing && existing.type === type) {
        const attributes = existing.attributes;
        for (const [name, value] of Object.entries(envelope.attributes)) {
          attributes[name] = keepUnchanged(attributes[name], value);
        }
        // The original server drops `subtype` once an object was reloaded
        // from storage; that says nothing about the object, so keep ours.
        if (envelope.subtype !== undefined) existing.subtype = envelope.subtype;
        result.updated.push(existing);
      } else {
        // New id, or the same id now with another type: a fresh object.
        const obj = new PlotObject(this, type, id, { ...envelope.attributes }, envelope.subtype);
        this.#objects.set(id, obj);
        result.created.push(obj);
      }
    }
    if (result.created.length || result.updated.length) this.version += 1;
    return result;
  }

  /** Remove objects by id (or by envelope / reference).  Returns the removed ones. */
  remove(items) {
    const removed = [];
    for (const item of items || []) {
      const id = typeof item === 'object' && item !== null ? envelopeId(item) : item;
      if (id === undefined) continue;
      const obj = this.#objects.get(String(id));
      if (obj) {
        this.#objects.delete(String(id));
        removed.push(obj);
      }
    }
    if (removed.length) this.version += 1;
    return removed;
  }

  /** Forget everything (before reloading a fresh snapshot after a reconnect). */
  clear() {
    if (this.#objects.size) this.version += 1;
    this.#objects.clear();
  }

  /**
   * Apply one parsed WebSocket message.  Returns what changed
   * ({created, updated, skipped, removed}) for modelpush/modeldel, and null
   * for any other message type (status, error, docchange), which are not
   * about the document's content.
   */
  applyMessage(msg) {
    if (!msg || typeof msg !== 'object') return null;
    if (msg.msgtype === 'modelpush') {
      return { ...this.load(msg.modelspecs), removed: [] };
    }
    if (msg.msgtype === 'modeldel') {
      // The original server never sends this (PROTOCOL 7.3), but its meaning
      // is clear enough: the listed objects are gone.
      return { created: [], updated: [], skipped: [], removed: this.remove(msg.modelspecs) };
    }
    return null;
  }

  /**
   * Replace every reference inside `value` (at any depth: lists, dict values,
   * legend tuples, grid rows) by the object it names.  A reference whose
   * target is not loaded - or is loaded under another type, which BokehJS
   * would not find either since it looked ids up per type - becomes
   * undefined.  Returns new arrays/objects; `value` is left untouched.
   */
  resolve(value) {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
    if (isRef(value)) {
      const target = this.#objects.get(String(value.id));
      return target && target.type === value.type ? target : undefined;
    }
    const out = {};
    for (const [key, item] of Object.entries(value)) out[key] = this.resolve(item);
    return out;
  }

  /**
   * Ids of `rootId` and of every object reachable from it through
   * references; objects for which `skip(obj)` is true (the root aside) are
   * neither included nor looked into.
   */
  reachableFrom(rootId, { skip = null } = {}) {
    const seen = new Set();
    const stack = [String(rootId)];
    while (stack.length) {
      const id = stack.pop();
      if (seen.has(id)) continue;
      const obj = this.#objects.get(id);
      if (!obj || (skip && id !== String(rootId) && skip(obj))) continue;
      seen.add(id);
      for (const value of Object.values(obj.attributes)) {
        for (const ref of refsIn(value)) {
          const target = String(ref.id);
          if (!seen.has(target) && this.#objects.has(target)) stack.push(target);
        }
      }
    }
    return seen;
  }

  /**
   * Drop every object not reachable from `rootId`, as the server's reads
   * do (PROTOCOL 3.4): after a script ran again and pointed its
   * PlotContext at new objects, the old ones are gone from the page too.
   * Returns the removed objects.
   */
  prune(rootId) {
    if (!this.has(rootId)) return [];
    const keep = this.reachableFrom(rootId);
    const drop = [...this.#objects.keys()].filter((id) => !keep.has(id));
    return this.remove(drop);
  }

  /**
   * References (anywhere in any attribute) whose target is not loaded.
   * Each entry is {from: PlotObject, attribute, ref}.  Used to tell the
   * viewer honestly that part of the document is missing.
   */
  danglingRefs() {
    const found = [];
    for (const obj of this.#objects.values()) {
      for (const [attribute, value] of Object.entries(obj.attributes)) {
        for (const ref of refsIn(value)) {
          const target = this.#objects.get(String(ref.id));
          if (!target || target.type !== ref.type) found.push({ from: obj, attribute, ref });
        }
      }
    }
    return found;
  }
}
