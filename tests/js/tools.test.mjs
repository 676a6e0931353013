// Tests for the pure parts of the interaction tools (run: node --test tests/js/):
// range arithmetic of pan and zoom, the toolbar's state, tooltip templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { LinearScale, LogScale } from '../../plotserver/static/js/core/scales.js';
import {
  boxRange, pannedRange, toolDimensions, usableRange, wheelFactor, zoomedRange,
} from '../../plotserver/static/js/tools/navigation.js';
import { ToolState } from '../../plotserver/static/js/tools/state.js';
import {
  applyFormat, fillTemplate, formatNumber, tooltipContent,
} from '../../plotserver/static/js/tools/tooltips.js';
import { selectionValue } from '../../plotserver/static/js/tools/selection.js';

const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps * Math.max(1, Math.abs(b)), `${a} != ${b}`);
const tool = (type, attributes = {}) => ({ type, id: `${type}-id`, attributes });

test('pan: the data under the pointer follows it, on linear and log axes, x and y', () => {
  const x = new LinearScale(0, 10, 100, 600); // 50 px per unit
  const moved = pannedRange(x, 100); // dragged 100 px to the right
  close(moved.start, -2);
  close(moved.end, 8);
  // y: from = bottom (400), to = top (0); dragging the picture down 40 px (0.4) brings
  // higher values into view
  const y = new LinearScale(0, 4, 400, 0); // 100 px per unit
  const down = pannedRange(y, 40);
  close(down.start, 0.4);
  close(down.end, 4.4);
  const log = new LogScale(1, 1000, 0, 300); // 100 px per decade
  const logMoved = pannedRange(log, 100);
  close(logMoved.start, 0.1);
  close(logMoved.end, 100);
});

test('wheel zoom keeps the data under the cursor where it is', () => {
  const x = new LinearScale(0, 10, 100, 600);
  const anchor = 225; // data 2.5
  const zoomed = zoomedRange(x, 0.2, anchor);
  close(zoomed.end - zoomed.start, 8);
  const after = new LinearScale(zoomed.start, zoomed.end, 100, 600);
  close(after.invert(anchor), 2.5);
  const out = zoomedRange(x, -0.5, anchor);
  close(out.end - out.start, 15);
  // flipped range (start > end) stays flipped
  const flipped = zoomedRange(new LinearScale(10, 0, 100, 600), 0.5, 350);
  assert.ok(flipped.start > flipped.end);
});

test('one wheel notch is 1/6 (BokehJS speed 1/600), capped at 0.9, lines and pages in px', () => {
  close(wheelFactor({ deltaY: -100, deltaMode: 0 }), 1 / 6);
  close(wheelFactor({ deltaY: 100, deltaMode: 0 }), -1 / 6);
  close(wheelFactor({ deltaY: -3, deltaMode: 1 }), 0.2);
  close(wheelFactor({ deltaY: -10000, deltaMode: 0 }), 0.9);
  close(wheelFactor({ deltaY: 10000, deltaMode: 2 }), -0.9);
});

test('box zoom: the range between two pixels, start on the scale\'s own side', () => {
  const y = new LinearScale(0, 4, 400, 0);
  const r = boxRange(y, 100, 300); // screen y 100 (data 3) .. 300 (data 1)
  close(r.start, 1);
  close(r.end, 3);
  const x = new LinearScale(0, 10, 100, 600);
  const rx = boxRange(x, 350, 150);
  close(rx.start, 1);
  close(rx.end, 5);
  assert.equal(usableRange({ start: 1, end: 1 }), false);
  assert.equal(usableRange({ start: 0, end: NaN }), false);
  assert.equal(usableRange(rx), true);
});

test('dimensions: width/x and height/y, both by default', () => {
  assert.deepEqual(toolDimensions(tool('PanTool', { dimensions: ['width'] })), { x: true, y: false });
  assert.deepEqual(toolDimensions(tool('PanTool', { dimensions: ['y'] })), { x: false, y: true });
  assert.deepEqual(toolDimensions(tool('PanTool')), { x: true, y: true });
});

test('toolbar state: lowest default_order active per gesture, clicks switch, inspectors toggle', () => {
  const state = new ToolState([tool('BoxZoomTool'), tool('PanTool'), tool('LassoSelectTool'),
    tool('PolySelectTool'), tool('TapTool'), tool('HoverTool'), tool('ResetTool'), null]);
  assert.equal(state.activeFor('drag'), 'PanTool');
  assert.equal(state.activeFor('tap'), 'TapTool');
  assert.equal(state.activeFor('scroll'), null);
  const events = [];
  state.listen((event) => events.push(event));
  state.toggle('BoxZoomTool');
  assert.equal(state.activeFor('drag'), 'BoxZoomTool');
  assert.equal(state.isOn('PanTool'), false);
  assert.equal(state.isOn('HoverTool'), true);
  state.toggle('HoverTool');
  assert.equal(state.isOn('HoverTool'), false);
  state.trigger('ResetTool');
  assert.deepEqual(events.map((e) => `${e.kind}:${e.type}`), ['changed:BoxZoomTool', 'changed:HoverTool', 'action:ResetTool']);
  assert.equal(new ToolState([tool('ResizeTool'), tool('BoxSelectTool')]).activeFor('drag'), 'BoxSelectTool');
});

test('tooltips: $ and @ substitutions, formats, escaping, the default and null', () => {
  const vars = { index: 7, x: 1.23456, y: -2, sx: 100.5, sy: 20 };
  const column = (name) => ({ price: 1234.5678, name: '<b>', 'two words': 3 }[name]);
  assert.equal(fillTemplate('$index: @price{0,0.00} @{two words}', vars, column), '7: 1,234.57 3');
  assert.equal(fillTemplate('($x, $y)', vars, column), '(1.235, -2)');
  assert.equal(fillTemplate('@name and @name{safe}', vars, column), '&lt;b&gt; and <b>');
  assert.equal(fillTemplate('@missing $unknown', vars, column), '??? $unknown');
  assert.equal(applyFormat(0.256, '0.0%'), '25.6%');
  assert.equal(applyFormat(1234567, '0,0'), '1,234,567');
  assert.equal(formatNumber(1e-7), '1.000e-7');
  assert.equal(formatNumber(42), '42');
  const content = tooltipContent(undefined, vars, column);
  assert.deepEqual(content.rows.map((r) => r[0]), ['index', 'data (x, y)', 'canvas (x, y)']);
  assert.deepEqual(content.rows[0], ['index', '7']);
  assert.equal(tooltipContent(null, vars, column), null);
  assert.deepEqual(tooltipContent('<i>@price{0}</i>', vars, column), { html: '<i>1235</i>' });
});

test('selection wire form: rows in 1d, a whole line or patch as the 0d flag', () => {
  assert.deepEqual(selectionValue([1, 3], false), { '0d': { flag: false, indices: [] }, '1d': { indices: [1, 3] }, '2d': { indices: [] } });
  assert.deepEqual(selectionValue([4], true), { '0d': { flag: true, indices: [4] }, '1d': { indices: [] }, '2d': { indices: [] } });
});
