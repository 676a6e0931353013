// frames.js - decoding the server's WebSocket frames.  Pure module: it runs
// in the push worker (push_worker.js) and, where no worker can be started,
// on the page itself (net.js).
//
// A text frame is `<kind>:<value>:<json>` (PROTOCOL.md 7.3).  Decoding
// parses the JSON and turns every all-number column of a pushed data source
// into a Float64Array: the renderer wants typed arrays anyway, and a typed
// array crosses from the worker to the page without a copy (a million-point
// column as a plain array costs ~10 ms to clone on each side).
//
// A binary frame is a modelpush whose large numeric columns come as raw
// little-endian arrays (the layout is described in the server's
// column_frames.py); the page asks for them when it subscribes.  They
// become Float64Arrays too, views onto the received buffer where they came
// as float64, so a push decodes to exactly what its text frame would.

/**
 * Split one server frame `<kind>:<value>:<json>` into its parts.
 * The topic is itself `<kind>:<value>`, so the split is at the SECOND colon;
 * the body may contain any number of further colons.  Returns null for a
 * frame with fewer than two colons (not something the server sends).
 * The body is returned as text: the `debug:debug` frame carries the bare
 * word `reload`, which is not JSON.
 */
export function splitFrame(text) {
  const first = text.indexOf(':');
  if (first < 0) return null;
  const second = text.indexOf(':', first + 1);
  if (second < 0) return null;
  return {
    topic: text.slice(0, second),
    kind: text.slice(0, first),
    value: text.slice(first + 1, second),
    body: text.slice(second + 1),
  };
}

/**
 * One frame's text -> {topic, kind, value, msg} with `msg` the parsed body,
 * or, when the body is not JSON, {topic, kind, value, body} with the text;
 * null for text that is not a frame.  `buffers` lists the typed columns'
 * buffers (what a worker transfers rather than copies).
 */
export function decodeFrame(text) {
  const frame = splitFrame(text);
  if (!frame) return null;
  const { topic, kind, value, body } = frame;
  let msg;
  try {
    msg = JSON.parse(body);
  } catch {
    return { topic, kind, value, body, buffers: [] };
  }
  return { topic, kind, value, msg, buffers: typeColumns(msg) };
}

/**
 * In place: every column of a modelpush's `data` dicts whose items are all
 * numbers becomes a Float64Array.  Columns holding anything else (strings,
 * null gaps, nested lists) stay as they came.  Returns the new buffers.
 */
export function typeColumns(msg) {
  const buffers = [];
  if (!msg || msg.msgtype !== 'modelpush' || !Array.isArray(msg.modelspecs)) return buffers;
  for (const spec of msg.modelspecs) {
    const data = spec && spec.attributes && spec.attributes.data;
    if (!data || typeof data !== 'object' || Array.isArray(data)) continue;
    for (const name of Object.keys(data)) {
      const column = data[name];
      if (!Array.isArray(column) || !column.length || !allNumbers(column)) continue;
      const typed = new Float64Array(column);
      data[name] = typed;
      buffers.push(typed.buffer);
    }
  }
  return buffers;
}

function allNumbers(column) {
  for (let i = 0; i < column.length; i++) if (typeof column[i] !== 'number') return false;
  return true;
}

const HEADER_LENGTH_BYTES = 4;

/**
 * One binary frame (an ArrayBuffer) -> {topic, kind, value, msg, buffers,
 * unchanged}, as decodeFrame returns for text; null for bytes that are not
 * such a frame.  `unchanged` lists the columns a delta frame left out
 * ([spec index, name, length]; their value in `msg` is null): the page fills
 * them in from what it holds (document.js fillUnchanged).
 * `buffers` holds the received buffer itself (the float64 columns are views
 * onto it, so one keeps the whole frame alive, the int32 bytes included)
 * and those of the columns converted from int32.
 */
export function decodeBinaryFrame(buffer) {
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < HEADER_LENGTH_BYTES) return null;
  const headerLength = new DataView(buffer).getUint32(0, true);
  const headerEnd = HEADER_LENGTH_BYTES + headerLength;
  if (headerEnd > buffer.byteLength) return null;
  let header;
  try {
    header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, HEADER_LENGTH_BYTES, headerLength)));
  } catch {
    return null;
  }
  const { topic, columns, msg } = header;
  const colon = typeof topic === 'string' ? topic.indexOf(':') : -1;
  if (colon < 0 || !Array.isArray(columns) || !msg || !Array.isArray(msg.modelspecs)) return null;
  const buffers = typeColumns(msg); // the small columns, which came as JSON
  const base = Math.ceil(headerEnd / 8) * 8;
  buffers.push(buffer);
  const unchanged = [];
  try {
    for (const [spec, name, dtype, offset, length] of columns) {
      const data = msg.modelspecs[spec]?.attributes?.data;
      if (!data || typeof data !== 'object') return null;
      // A bad offset or length throws a RangeError here.
      if (dtype === 'same') {
        if (!Number.isInteger(length) || length < 0) return null;
        unchanged.push([spec, name, length]);
      } else if (dtype === 'float64') {
        data[name] = new Float64Array(buffer, base + offset, length);
      } else if (dtype === 'int32') {
        const column = new Float64Array(new Int32Array(buffer, base + offset, length));
        data[name] = column;
        buffers.push(column.buffer);
      } else {
        return null;
      }
    }
  } catch {
    return null;
  }
  return { topic, kind: topic.slice(0, colon), value: topic.slice(colon + 1), msg, buffers, unchanged };
}

/**
 * What a WebSocket's `message` event carries (a string, or an ArrayBuffer
 * with binaryType 'arraybuffer'), decoded: {frame, bytes, binary}.
 */
export function decodeMessage(data) {
  if (typeof data === 'string') return { frame: decodeFrame(data), bytes: data.length, binary: false };
  return { frame: decodeBinaryFrame(data), bytes: data.byteLength, binary: true };
}
