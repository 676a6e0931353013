// glyphs/index.js: glyph modules load on demand, once, and every type the
// index names draws with the module it names.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { GLYPHS, GLYPH_TYPES, MARKER_NAMES, loadGlyphs, missingGlyphs } from '../../plotserver/static/js/glyphs/index.js';
import { MARKERS } from '../../plotserver/static/js/glyphs/markers.js';
import line from '../../plotserver/static/js/glyphs/line.js';

test('the marker names are the shapes markers.js draws', () => {
  assert.deepEqual([...MARKER_NAMES].sort(), Object.keys(MARKERS).sort());
});

test('nothing is loaded before it is asked for, and each type once', async () => {
  assert.equal(GLYPHS.Line, undefined);
  assert.deepEqual(missingGlyphs(['Line', 'Plot', 'Line', 'Square', 'NoSuchGlyph']), ['Line', 'Square']);
  await loadGlyphs(['Line', 'Square', 'Plot']);
  assert.equal(GLYPHS.Line, line);
  assert.equal(GLYPHS.Square, MARKERS.Square);
  assert.deepEqual(missingGlyphs(['Line', 'Square']), []);
  assert.equal(GLYPHS.Plot, undefined);
});

test('every glyph type loads to something that draws', async () => {
  await loadGlyphs(GLYPH_TYPES);
  assert.deepEqual(missingGlyphs(GLYPH_TYPES), []);
  for (const name of GLYPH_TYPES) {
    assert.equal(typeof GLYPHS[name].draw, 'function', name);
  }
});
