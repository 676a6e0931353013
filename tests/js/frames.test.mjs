// Tests for plotserver/static/js/frames.js and for how document.js treats
// the typed columns it makes (run: node --test tests/js/).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { decodeFrame, typeColumns } from '../../plotserver/static/js/frames.js';
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
