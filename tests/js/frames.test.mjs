// Tests for plotserver/static/js/frames.js and for how document.js treats
// the typed columns it makes (run: node --test tests/js/).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { decodeBinaryFrame, decodeFrame, decodeMessage, typeColumns } from '../../plotserver/static/js/frames.js';
import { PlotDocument, isRef, keepUnchanged, refsIn, sameJson, wireAttributes } from '../../plotserver/static/js/document.js';

const TOPIC = 'bokehplot:2e08867f-5978-4787-89bf-92246ef288f3';

function push(data) {
  return { msgtype: 'modelpush', modelspecs: [{ type: 'ColumnDataSource', id: 's1', attributes: { id: 's1', data } }] };
}

test('decodeFrame parses the body and types all-number columns', () => {
  const text = `${TOPIC}:${JSON.stringify(push({ x: [1, 2.5, -3], y: [0, 1e300, 5], name: ['a', 'b', 'c'] }))}`;
  const frame = decodeFrame(text);
  assert.equal(frame.topic, TOPIC);
  assert.equal(frame.kind, 'bokehplot');
  const data = frame.msg.modelspecs[0].attributes.data;
  assert.ok(data.x instanceof Float64Array);
  assert.deepEqual(Array.from(data.x), [1, 2.5, -3]);
  assert.deepEqual(Array.from(data.y), [0, 1e300, 5]);
  assert.deepEqual(data.name, ['a', 'b', 'c']);
  assert.deepEqual(frame.buffers, [data.x.buffer, data.y.buffer]);
});

test('columns with gaps, strings, nested lists or nothing stay as they came', () => {
  const msg = push({ gap: [1, null, 3], nan: [1, 'NaN'], nested: [[1, 2], [3]], empty: [], mixed: [1, true] });
  assert.deepEqual(typeColumns(msg), []);
  assert.deepEqual(msg.modelspecs[0].attributes.data,
    { gap: [1, null, 3], nan: [1, 'NaN'], nested: [[1, 2], [3]], empty: [], mixed: [1, true] });
});

test('only modelpush data dicts are touched', () => {
  const other = { msgtype: 'status', status: ['subscribesuccess', TOPIC, 'c1'] };
  assert.deepEqual(decodeFrame(`${TOPIC}:${JSON.stringify(other)}`).msg, other);
  const notData = { msgtype: 'modelpush', modelspecs: [{ type: 'Range1d', id: 'r', attributes: { bounds: [1, 2] } }] };
  assert.deepEqual(decodeFrame(`${TOPIC}:${JSON.stringify(notData)}`).msg.modelspecs[0].attributes.bounds, [1, 2]);
});

test('a body that is not JSON comes back as text; a frame without two colons as null', () => {
  assert.deepEqual(decodeFrame('debug:debug:reload'),
    { topic: 'debug:debug', kind: 'debug', value: 'debug', body: 'reload', buffers: [] });
  assert.equal(decodeFrame('no frame'), null);
});

test('typed columns count as lists everywhere the document looks into values', () => {
  const typed = new Float64Array([1, 2, 3]);
  assert.equal(isRef(typed), false);
  assert.deepEqual(refsIn(typed), []);
  assert.ok(sameJson(typed, new Float64Array([1, 2, 3])));
  assert.ok(sameJson(typed, [1, 2, 3]));
  assert.ok(!sameJson(typed, new Float64Array([1, 2, 4])));
  assert.ok(!sameJson(typed, { 0: 1, 1: 2, 2: 3 }));
  // An unchanged typed column keeps the identity of what the page had.
  const before = { x: typed, y: new Float64Array([4, 5, 6]) };
  const merged = keepUnchanged(before, { x: new Float64Array([1, 2, 3]), y: new Float64Array([7, 8, 9]) });
  assert.equal(merged.x, typed);
  assert.deepEqual(Array.from(merged.y), [7, 8, 9]);
});

test('a document loads, resolves and updates sources with typed columns', () => {
  const doc = new PlotDocument();
  const msg = decodeFrame(`${TOPIC}:${JSON.stringify(push({ x: [1, 2], y: [3, 4] }))}`).msg;
  doc.applyMessage(msg);
  const source = doc.get('s1');
  assert.equal(source.get('data').x, source.attributes.data.x); // resolve leaves numbers alone
  assert.deepEqual(doc.danglingRefs(), []);
  const x = source.attributes.data.x;
  doc.applyMessage(decodeFrame(`${TOPIC}:${JSON.stringify(push({ x: [1, 2], y: [5, 6] }))}`).msg);
  assert.equal(doc.get('s1').attributes.data.x, x);
  assert.deepEqual(Array.from(doc.get('s1').attributes.data.y), [5, 6]);
});

test('a whole-model save writes typed columns as JSON lists', () => {
  const attributes = { id: 's1', data: { x: new Float64Array([1, 2]), name: ['a', 'b'] }, tags: [] };
  assert.deepEqual(JSON.parse(JSON.stringify(wireAttributes(attributes))),
    { id: 's1', data: { x: [1, 2], name: ['a', 'b'] }, tags: [] });
  const plain = { id: 'r', start: 0 };
  assert.equal(wireAttributes(plain), plain);
});

// A binary frame laid out as plotserver/column_frames.py writes it: uint32 LE
// header length, the JSON header, zero padding to 8 bytes, then the columns
// at their offsets (each a multiple of 8) after that padding.
function binaryFrame(header, columns) {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const base = Math.ceil((4 + json.length) / 8) * 8;
  const end = Math.max(base, ...columns.map(([offset, typed]) => base + offset + typed.byteLength));
  const buffer = new ArrayBuffer(end);
  new DataView(buffer).setUint32(0, json.length, true);
  new Uint8Array(buffer, 4).set(json);
  for (const [offset, typed] of columns) new Uint8Array(buffer, base + offset).set(new Uint8Array(typed.buffer));
  return buffer;
}

test('a binary frame decodes to the message its text frame would', () => {
  const ints = new Int32Array([-3, 0, 7, 2147483647]);
  const floats = new Float64Array([0.1, 1e300, -2.5]);
  const msg = push({ x: null, small: [1, 2], y: null, name: ['a', 'b', 'c'] });
  const header = { topic: TOPIC, columns: [[0, 'x', 'int32', 0, 4], [0, 'y', 'float64', 16, 3]], msg };
  const buffer = binaryFrame(header, [[0, ints], [16, floats]]);
  const frame = decodeBinaryFrame(buffer);
  assert.equal(frame.topic, TOPIC);
  assert.equal(frame.kind, 'bokehplot');
  assert.equal(frame.value, TOPIC.slice('bokehplot:'.length));
  const data = frame.msg.modelspecs[0].attributes.data;
  assert.deepEqual(Object.keys(data), ['x', 'small', 'y', 'name']); // the columns keep their places
  assert.ok(data.x instanceof Float64Array && data.y instanceof Float64Array && data.small instanceof Float64Array);
  assert.deepEqual(Array.from(data.x), [-3, 0, 7, 2147483647]);
  assert.deepEqual(Array.from(data.y), [0.1, 1e300, -2.5]);
  assert.deepEqual(data.name, ['a', 'b', 'c']);
  // float64 columns are views onto the received buffer; what a worker transfers holds it,
  // the int32 column's new buffer and the small JSON column's.
  assert.equal(data.y.buffer, buffer);
  assert.equal(new Set(frame.buffers).size, 3);
  for (const column of [data.x, data.y, data.small]) assert.ok(frame.buffers.includes(column.buffer));
});

test('bytes that are not a binary frame decode to null', () => {
  const header = { topic: TOPIC, columns: [[0, 'y', 'float64', 0, 4]], msg: push({ y: null }) };
  const good = binaryFrame(header, [[0, new Float64Array(4)]]);
  assert.ok(decodeBinaryFrame(good));
  assert.equal(decodeBinaryFrame(good.slice(0, good.byteLength - 8)), null); // column cut short
  assert.equal(decodeBinaryFrame(new ArrayBuffer(2)), null);
  assert.equal(decodeBinaryFrame(binaryFrame({ ...header, columns: [[0, 'y', 'int64', 0, 4]] }, [])), null);
  assert.equal(decodeBinaryFrame(binaryFrame({ ...header, columns: [[3, 'y', 'float64', 0, 1]] }, [[0, new Float64Array(1)]])), null);
  assert.equal(decodeBinaryFrame(binaryFrame({ ...header, topic: 'nocolon' }, [[0, new Float64Array(4)]])), null);
  assert.equal(decodeBinaryFrame(binaryFrame({ ...header, columns: [[0, 'y', 'float64', 3, 1]] }, [[0, new Float64Array(4)]])), null); // misaligned
  assert.equal(decodeBinaryFrame(binaryFrame({ ...header, columns: [[0, 'y', 'float64', 0, -1]] }, [[0, new Float64Array(4)]])), null);
  const notJson = new Uint8Array(16);
  new DataView(notJson.buffer).setUint32(0, 4, true);
  notJson.set([123, 123, 123, 123], 4);
  assert.equal(decodeBinaryFrame(notJson.buffer), null);
});

test('a delta frame names the columns it left out, which the document fills in from what it holds', () => {
  const doc = new PlotDocument();
  const heldX = new Float64Array([1, 2, 3]);
  doc.load(push({ x: heldX, y: new Float64Array([4, 5, 6]), names: ['a', 'b', 'c'] }).modelspecs);
  const header = {
    topic: TOPIC,
    columns: [[0, 'x', 'same', 0, 3], [0, 'y', 'float64', 0, 3], [0, 'names', 'same', 0, 3]],
    msg: push({ x: null, y: null, names: null }),
  };
  const frame = decodeBinaryFrame(binaryFrame(header, [[0, new Float64Array([7, 8, 9])]]));
  assert.deepEqual(frame.unchanged, [[0, 'x', 3], [0, 'names', 3]]);
  assert.equal(frame.msg.modelspecs[0].attributes.data.x, null);
  assert.equal(doc.fillUnchanged(frame.msg, frame.unchanged), true);
  const data = frame.msg.modelspecs[0].attributes.data;
  assert.equal(data.x, heldX); // the very column held: what was computed from it stays valid
  assert.deepEqual(data.names, ['a', 'b', 'c']);
  doc.load(frame.msg.modelspecs);
  assert.equal(doc.get('s1').attributes.data.x, heldX);
  assert.deepEqual(Array.from(doc.get('s1').attributes.data.y), [7, 8, 9]);
  // Whole frames name none; a bad length is no frame.
  assert.deepEqual(decodeBinaryFrame(binaryFrame({ ...header, columns: [[0, 'y', 'float64', 0, 3]] },
    [[0, new Float64Array(3)]])).unchanged, []);
  assert.equal(decodeBinaryFrame(binaryFrame({ ...header, columns: [[0, 'x', 'same', 0, -1]] }, [])), null);
});

test('a column left out that the page does not hold, or holds at another length, is refused', () => {
  const doc = new PlotDocument();
  doc.load(push({ x: new Float64Array([1, 2, 3]) }).modelspecs);
  assert.equal(doc.fillUnchanged(push({ x: null }), [[0, 'x', 4]]), false);
  assert.equal(doc.fillUnchanged(push({ z: null }), [[0, 'z', 3]]), false);
  const other = { msgtype: 'modelpush', modelspecs: [{ type: 'ColumnDataSource', id: 's2', attributes: { id: 's2', data: { x: null } } }] };
  assert.equal(doc.fillUnchanged(other, [[0, 'x', 3]]), false);
});

test('decodeMessage takes either kind of socket message', () => {
  const text = `${TOPIC}:${JSON.stringify(push({ x: [1] }))}`;
  const fromText = decodeMessage(text);
  assert.deepEqual([fromText.bytes, fromText.binary, fromText.frame.topic], [text.length, false, TOPIC]);
  const buffer = binaryFrame({ topic: TOPIC, columns: [[0, 'y', 'float64', 0, 1]], msg: push({ y: null }) },
    [[0, new Float64Array([2.5])]]);
  const fromBinary = decodeMessage(buffer);
  assert.deepEqual([fromBinary.bytes, fromBinary.binary], [buffer.byteLength, true]);
  assert.deepEqual(Array.from(fromBinary.frame.msg.modelspecs[0].attributes.data.y), [2.5]);
});
