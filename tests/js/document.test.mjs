// Tests for plotserver/static/js/document.js (run: node --test tests/js/).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  PlotDocument,
  PlotObject,
  isRef,
  sameJson,
} from '../../plotserver/static/js/document.js';
import { splitFrame } from '../../plotserver/static/js/frames.js';

const DOCID = '2e08867f-5978-4787-89bf-92246ef288f3';

function envelope(type, id, attributes = {}, subtype) {
  const env = { type, id, attributes: { ...attributes, id, doc: DOCID } };
  if (subtype !== undefined) env.subtype = subtype;
  return env;
}

// A small plot document, deliberately listed with references pointing forward.
function seedDocument() {
  return [
    envelope('PlotContext', 'ctx', { children: [{ type: 'Plot', subtype: 'Figure', id: 'plot' }], tags: [] }),
    envelope('Plot', 'plot', {
      title: 'animated',
      renderers: [{ type: 'GlyphRenderer', id: 'gr' }, { type: 'LinearAxis', id: 'axis' }],
      extra_y_ranges: { twin: { type: 'Range1d', id: 'r2' } },
    }, 'Figure'),
    envelope('GlyphRenderer', 'gr', {
      data_source: { type: 'ColumnDataSource', id: 'cds' },
      glyph: { type: 'Line', id: 'line' },
      selection_glyph: null,
    }),
    envelope('Line', 'line', { x: { field: 'x' }, y: { field: 'y' } }),
    envelope('LinearAxis', 'axis', { plot: { type: 'Plot', subtype: 'Figure', id: 'plot' } }),
    envelope('Range1d', 'r2', { start: 0, end: 1 }),
    envelope('ColumnDataSource', 'cds', { data: { x: [1, 2, 3], y: [6, 7, 2] }, column_names: ['x', 'y'] }),
  ];
}

// ---------------------------------------------------------------- splitFrame

test('splitFrame splits at the second colon', () => {
  const frame = splitFrame('bokehuser:alice:{"msgtype": "docchange"}');
  assert.deepEqual(frame, {
    topic: 'bokehuser:alice',
    kind: 'bokehuser',
    value: 'alice',
    body: '{"msgtype": "docchange"}',
  });
});

test('splitFrame keeps colons inside the JSON payload', () => {
  const topic = `bokehplot:${DOCID}`;
  const payload = JSON.stringify({
    msgtype: 'modelpush',
    modelspecs: [envelope('ImageURL', 'img', { url: { value: 'http://example.com:8080/a:b.png' } })],
  });
  const frame = splitFrame(`${topic}:${payload}`);
  assert.equal(frame.topic, topic);
  assert.equal(frame.value, DOCID);
  assert.equal(frame.body, payload);
  assert.equal(JSON.parse(frame.body).modelspecs[0].attributes.url.value, 'http://example.com:8080/a:b.png');
});

test('splitFrame returns the raw body of the non-JSON debug frame', () => {
  assert.deepEqual(splitFrame('debug:debug:reload'),
    { topic: 'debug:debug', kind: 'debug', value: 'debug', body: 'reload' });
});

test('splitFrame rejects frames with fewer than two colons', () => {
  assert.equal(splitFrame('no colon at all'), null);
  assert.equal(splitFrame('bokehplot:only-one'), null);
});

test('splitFrame allows an empty body', () => {
  assert.equal(splitFrame('a:b:').body, '');
});

// ---------------------------------------------------------------- isRef

test('isRef accepts exactly {id,type} and {id,subtype,type}', () => {
  assert.equal(isRef({ type: 'Plot', id: 'p' }), true);
  assert.equal(isRef({ id: 'p', subtype: 'Figure', type: 'Plot' }), true);
});

test('isRef treats any other shape as plain data', () => {
  assert.equal(isRef({ type: 'Plot', id: 'p', name: 'extra' }), false, 'extra key');
  assert.equal(isRef({ type: 'Plot', id: 'p', subtype: 'Figure', x: 1 }), false, 'four keys');
  assert.equal(isRef({ id: 'p' }), false, 'id only');
  assert.equal(isRef({ id: 'p', subtype: 'Figure' }), false, 'no type');
  assert.equal(isRef({ type: 'Plot', subtype: 'Figure' }), false, 'no id');
  assert.equal(isRef({ field: 'x' }), false, 'a dataspec');
  assert.equal(isRef(['id', 'type']), false, 'an array');
  assert.equal(isRef(null), false);
  assert.equal(isRef('Plot'), false);
});

// ---------------------------------------------------------------- loading

test('load creates every object, indexed by attributes.id', () => {
  const doc = new PlotDocument();
  const result = doc.load(seedDocument());
  assert.equal(result.created.length, 7);
  assert.equal(result.updated.length, 0);
  assert.equal(doc.size, 7);
  const plot = doc.get('plot');
  assert.ok(plot instanceof PlotObject);
  assert.equal(plot.type, 'Plot');
  assert.equal(plot.subtype, 'Figure');
  assert.equal(plot.attributes.title, 'animated');
  assert.equal(plot.attributes.doc, DOCID);
  assert.equal(doc.get('nope'), undefined);
});

test('the id inside attributes wins over the top-level id', () => {
  const doc = new PlotDocument();
  doc.load([{ type: 'Range1d', id: 'outer', attributes: { id: 'inner', start: 0 } }]);
  assert.equal(doc.get('outer'), undefined);
  assert.equal(doc.get('inner').attributes.start, 0);
});

test('malformed envelopes are skipped, not fatal', () => {
  const doc = new PlotDocument();
  const result = doc.load([null, { type: 'Plot' }, { id: 'x', attributes: { id: 'x' } }, envelope('Range1d', 'r')]);
  assert.equal(result.skipped.length, 3);
  assert.equal(doc.size, 1);
});

test('ofType lists objects of one type in load order', () => {
  const doc = new PlotDocument(seedDocument());
  doc.load([envelope('ColumnDataSource', 'cds2', { data: {} })]);
  assert.deepEqual(doc.ofType('ColumnDataSource').map((o) => o.id), ['cds', 'cds2']);
  assert.deepEqual(doc.ofType('Nothing'), []);
});

test('references resolve regardless of envelope order', () => {
  const doc = new PlotDocument(seedDocument().reverse());
  const ctx = doc.get('ctx');
  const [plot] = ctx.get('children');
  assert.equal(plot, doc.get('plot'));
  const renderers = plot.get('renderers');
  assert.deepEqual(renderers.map((r) => r.type), ['GlyphRenderer', 'LinearAxis']);
  assert.equal(renderers[0].get('data_source'), doc.get('cds'));
  assert.equal(renderers[0].get('selection_glyph'), null);
});

test('resolve walks nested containers and leaves the input alone', () => {
  const doc = new PlotDocument(seedDocument());
  const raw = doc.get('plot').attributes.extra_y_ranges;
  const resolved = doc.get('plot').get('extra_y_ranges');
  assert.equal(resolved.twin, doc.get('r2'));
  assert.deepEqual(raw, { twin: { type: 'Range1d', id: 'r2' } }, 'raw attribute untouched');

  // Legend-style tuples and grid rows with empty cells.
  const legends = doc.resolve([['a line', [{ type: 'GlyphRenderer', id: 'gr' }]]]);
  assert.equal(legends[0][0], 'a line');
  assert.equal(legends[0][1][0], doc.get('gr'));
  const grid = doc.resolve([[{ type: 'Plot', id: 'plot' }, null]]);
  assert.deepEqual(grid, [[doc.get('plot'), null]]);
});

test('an object with extra keys is data, not a reference', () => {
  const doc = new PlotDocument(seedDocument());
  const data = { type: 'Plot', id: 'plot', label: 'just a dict' };
  const resolved = doc.resolve(data);
  assert.notEqual(resolved, doc.get('plot'));
  assert.deepEqual(resolved, data);
  // ...and it is not reported as a dangling reference either.
  doc.load([envelope('ColumnDataSource', 'meta', { data: { info: [data] } })]);
  assert.deepEqual(doc.danglingRefs(), []);
});

test('a reference whose target has another type does not resolve', () => {
  const doc = new PlotDocument(seedDocument());
  assert.equal(doc.resolve({ type: 'Range1d', id: 'plot' }), undefined);
});

test('a reference to a not-yet-loaded object resolves once it arrives', () => {
  const doc = new PlotDocument([
    envelope('GlyphRenderer', 'gr', { data_source: { type: 'ColumnDataSource', id: 'later' } }),
  ]);
  const renderer = doc.get('gr');
  assert.equal(renderer.get('data_source'), undefined);
  assert.deepEqual(doc.danglingRefs().map((d) => [d.from.id, d.attribute, d.ref.id]),
    [['gr', 'data_source', 'later']]);

  doc.applyMessage({
    msgtype: 'modelpush',
    modelspecs: [envelope('ColumnDataSource', 'later', { data: { x: [1] } })],
  });
  assert.equal(renderer.get('data_source'), doc.get('later'));
  assert.deepEqual(doc.danglingRefs(), []);
});

// ---------------------------------------------------------------- messages

test('a modelpush updates an existing object in place', () => {
  const doc = new PlotDocument(seedDocument());
  const cds = doc.get('cds');
  const renderer = doc.get('gr');
  const before = doc.version;

  const result = doc.applyMessage({
    msgtype: 'modelpush',
    modelspecs: [envelope('ColumnDataSource', 'cds', {
      data: { x: [1, 2, 3, 4], y: [6, 7, 2, 9] }, column_names: ['x', 'y'],
    })],
  });

  assert.deepEqual(result.updated, [cds]);
  assert.deepEqual(result.created, []);
  assert.equal(doc.get('cds'), cds, 'same object: holders of it see the change');
  assert.deepEqual(cds.attributes.data.y, [6, 7, 2, 9]);
  assert.equal(renderer.get('data_source').attributes.data.x.length, 4);
  assert.ok(doc.version > before);
  assert.equal(doc.size, 7);
});

test('a modelpush creates new objects and keeps a known subtype', () => {
  const doc = new PlotDocument(seedDocument());
  doc.applyMessage({
    msgtype: 'modelpush',
    modelspecs: [
      // Reloaded from storage by the original server: subtype dropped.
      envelope('Plot', 'plot', { title: 'renamed', renderers: [] }),
      envelope('Plot', 'plot2', { title: 'second' }, 'Figure'),
    ],
  });
  assert.equal(doc.get('plot').attributes.title, 'renamed');
  assert.equal(doc.get('plot').subtype, 'Figure');
  assert.equal(doc.get('plot2').attributes.title, 'second');
  assert.equal(doc.size, 8);
});

test('a push merges attributes, so keys it lacks are kept', () => {
  const doc = new PlotDocument(seedDocument());
  doc.load([{ type: 'Plot', id: 'plot', attributes: { id: 'plot', title: 'only title' } }]);
  const plot = doc.get('plot');
  assert.equal(plot.attributes.title, 'only title');
  assert.equal(plot.get('renderers').length, 2);
});

test('the same id arriving with another type replaces the object', () => {
  const doc = new PlotDocument(seedDocument());
  const result = doc.load([envelope('DataRange1d', 'r2', {})]);
  assert.equal(result.created.length, 1);
  assert.equal(doc.get('r2').type, 'DataRange1d');
  assert.equal(doc.get('r2').attributes.start, undefined);
});

test('modeldel removes the listed objects', () => {
  const doc = new PlotDocument(seedDocument());
  const result = doc.applyMessage({ msgtype: 'modeldel', modelspecs: [envelope('Range1d', 'r2')] });
  assert.deepEqual(result.removed.map((o) => o.id), ['r2']);
  assert.equal(doc.get('r2'), undefined);
  assert.equal(doc.get('plot').get('extra_y_ranges').twin, undefined);
});

test('applyMessage ignores messages that are not about objects', () => {
  const doc = new PlotDocument(seedDocument());
  const version = doc.version;
  assert.equal(doc.applyMessage({ msgtype: 'status', status: ['subscribesuccess', 't', 'c'] }), null);
  assert.equal(doc.applyMessage({ msgtype: 'docchange' }), null);
  assert.equal(doc.applyMessage(null), null);
  assert.equal(doc.version, version);
});

test('a full frame from the wire can be split, parsed and applied', () => {
  const doc = new PlotDocument(seedDocument());
  const text = `bokehplot:${DOCID}:{"msgtype": "modelpush", "modelspecs": [{"type": "ColumnDataSource", `
    + `"id": "cds", "attributes": {"data": {"x": [1, 2], "y": [3, "NaN"]}, "column_names": ["x", "y"], `
    + `"id": "cds", "doc": "${DOCID}"}}]}`;
  const frame = splitFrame(text);
  assert.equal(frame.topic, `bokehplot:${DOCID}`);
  doc.applyMessage(JSON.parse(frame.body));
  assert.deepEqual(doc.get('cds').attributes.data.y, [3, 'NaN']);
});

test('clear empties the document but keeps it usable', () => {
  const doc = new PlotDocument(seedDocument());
  doc.clear();
  assert.equal(doc.size, 0);
  doc.load([envelope('Range1d', 'r')]);
  assert.deepEqual([...doc].map((o) => o.id), ['r']);
});

test('ref() gives the wire form of a reference', () => {
  const doc = new PlotDocument(seedDocument());
  assert.deepEqual(doc.get('plot').ref(), { type: 'Plot', subtype: 'Figure', id: 'plot' });
  assert.deepEqual(doc.get('cds').ref(), { type: 'ColumnDataSource', id: 'cds' });
  assert.ok(isRef(doc.get('plot').ref()));
});

// ---------------------------------------------------------------- reachability

test('reachableFrom follows references; skip leaves objects out and unvisited', () => {
  const doc = new PlotDocument(seedDocument());
  assert.deepEqual([...doc.reachableFrom('ctx')].sort(), ['axis', 'cds', 'ctx', 'gr', 'line', 'plot', 'r2']);
  const withoutSources = doc.reachableFrom('plot', { skip: (obj) => obj.type.endsWith('DataSource') });
  assert.deepEqual([...withoutSources].sort(), ['axis', 'gr', 'line', 'plot', 'r2']);
  // The root itself is never skipped.
  assert.ok(doc.reachableFrom('cds', { skip: () => true }).has('cds'));
});

test('prune drops what the root no longer reaches (a script run again)', () => {
  const doc = new PlotDocument(seedDocument());
  doc.load([envelope('Plot', 'plot2', { renderers: [] }, 'Figure'),
    envelope('PlotContext', 'ctx', { children: [{ type: 'Plot', subtype: 'Figure', id: 'plot2' }] })]);
  const removed = doc.prune('ctx').map((o) => o.id).sort();
  assert.deepEqual(removed, ['axis', 'cds', 'gr', 'line', 'plot', 'r2']);
  assert.deepEqual([...doc].map((o) => o.id).sort(), ['ctx', 'plot2']);
  assert.deepEqual(doc.prune('missing-root'), []);
});

test('sameJson: deep equality of JSON values', () => {
  assert.equal(sameJson({ a: [1, 'x', null, { b: [true] }] }, { a: [1, 'x', null, { b: [true] }] }), true);
  assert.equal(sameJson({ a: [1, 2] }, { a: [1, 3] }), false);
  assert.equal(sameJson({ a: 1 }, { a: 1, b: undefined }), false);
  assert.equal(sameJson([1], { 0: 1 }), false);
  assert.equal(sameJson([[1, 2], [3]], [[1, 2], [3, 4]]), false);
  assert.equal(sameJson(null, {}), false);
  assert.equal(sameJson('NaN', 'NaN'), true);
});

test('an update that repeats a value keeps the value we had (caches keyed on it stay valid)', () => {
  const doc = new PlotDocument();
  doc.load([envelope('ColumnDataSource', 'cds', { data: { x: [1, 2, 3] }, selected: { '1d': { indices: [] } } })]);
  const source = doc.get('cds');
  const data = source.attributes.data;
  doc.applyMessage({ msgtype: 'modelpush', modelspecs: [envelope('ColumnDataSource', 'cds', {
    data: { x: [1, 2, 3] }, selected: { '1d': { indices: [2] } } })] });
  assert.equal(source.attributes.data, data);
  assert.deepEqual(source.attributes.selected, { '1d': { indices: [2] } });
  doc.applyMessage({ msgtype: 'modelpush', modelspecs: [envelope('ColumnDataSource', 'cds', { data: { x: [1, 2, 4] } })] });
  assert.notEqual(source.attributes.data, data);
  assert.deepEqual(source.attributes.data, { x: [1, 2, 4] });
});

test('a data dict is merged column by column: an unchanged column keeps its identity', () => {
  const doc = new PlotDocument();
  doc.load([envelope('ColumnDataSource', 'cds', { data: { x: [1, 2, 3], y: [4, 5, 6] } })]);
  const source = doc.get('cds');
  const { x, y } = source.attributes.data;
  doc.applyMessage({ msgtype: 'modelpush', modelspecs: [envelope('ColumnDataSource', 'cds', {
    data: { x: [1, 2, 3], y: [7, 8, 9] } })] });
  assert.equal(source.attributes.data.x, x);
  assert.notEqual(source.attributes.data.y, y);
  assert.deepEqual(source.attributes.data, { x: [1, 2, 3], y: [7, 8, 9] });
  // A column dropped or added makes a new dict too.
  doc.applyMessage({ msgtype: 'modelpush', modelspecs: [envelope('ColumnDataSource', 'cds', {
    data: { x: [1, 2, 3] } })] });
  assert.deepEqual(source.attributes.data, { x: [1, 2, 3] });
  assert.equal(source.attributes.data.x, x);
});
