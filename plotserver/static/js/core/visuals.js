// visuals.js - the line, fill and text property groups (MODELS.md 3.5)
// applied to a canvas context.
//
// Glyphs evaluate the groups per item (a colour per row, say); guides (axes,
// grids, legend, plot outline) read only the constant of each member.  Both
// share one shape: `doit` (anything to draw at all), `isConstant`, `set(ctx,
// i)` for item i, `key(i)` (items with equal keys look alike, so they can go
// into one path).

import { cssColor } from './color.js';
import { constantOf, evalRaw, rawAt } from './dataspec.js';

export const GLYPH_DEFAULTS = {
  line: { color: 'black', width: 1, alpha: 1, join: 'miter', cap: 'butt', dash: [], dash_offset: 0 },
  fill: { color: 'gray', alpha: 1 },
  text: {
    font: 'helvetica', font_size: '12pt', font_style: 'normal', color: '#444444', alpha: 1,
    align: 'left', baseline: 'bottom',
  },
};

// Members that are dataspecs (may vary per item); the others are plain values.
const VECTOR_MEMBERS = {
  line: ['color', 'width', 'alpha'],
  fill: ['color', 'alpha'],
  text: ['font_size', 'color', 'alpha'],
};
const SCALAR_MEMBERS = {
  line: ['join', 'cap', 'dash', 'dash_offset'],
  fill: [],
  text: ['font', 'font_style', 'align', 'baseline'],
};

/** Canvas font string "<style> <size> <family>" (MODELS.md 3.5). */
export function fontString(style, size, family) {
  return `${style} ${size} ${family}`;
}

class Visual {
  /**
   * attrs: the model's attributes; prefix: e.g. "" or "border_"; defaults:
   * the group's BokehJS defaults for this model; data/vectorized: evaluate
   * fields against the source's data (glyphs) or only constants (guides).
   */
  constructor(group, attrs, prefix, defaults, data, vectorized) {
    this.group = group;
    this.members = {};
    let constant = true;
    for (const name of VECTOR_MEMBERS[group]) {
      const attr = attrs[`${prefix}${group}_${name}`];
      const value = vectorized
        ? evalRaw(attr, data, defaults[name])
        : { constant: constantOf(attr, defaults[name]) };
      if (value.values) constant = false;
      this.members[name] = value;
    }
    for (const name of SCALAR_MEMBERS[group]) {
      this.members[name] = { constant: constantOf(attrs[`${prefix}${group}_${name}`], defaults[name]) };
    }
    this.isConstant = constant;
    const color = this.members.color;
    // A null colour switches the whole group off (e.g. line_color=None).
    this.doit = color.values ? true : cssColor(color.constant) !== null;
  }

  value(name, i) {
    return rawAt(this.members[name], i);
  }

  /** Items whose keys are equal can share one style (one path). */
  key(i) {
    if (this.isConstant) return '';
    let key = '';
    for (const name of VECTOR_MEMBERS[this.group]) key += `${this.value(name, i)}|`;
    return key;
  }

  /** Whether item i draws anything (its colour may be null). */
  visibleAt(i) {
    if (!this.doit) return false;
    if (this.isConstant) return true;
    return cssColor(this.value('color', i)) !== null;
  }

  /** The same visual with every item's alpha set to `alpha`. */
  withAlpha(alpha) {
    const copy = Object.create(Object.getPrototypeOf(this));
    Object.assign(copy, this, { members: { ...this.members, alpha: { constant: alpha } } });
    copy.isConstant = Object.values(copy.members).every((member) => !member.values);
    return copy;
  }
}

export class LineVisual extends Visual {
  constructor(attrs, prefix = '', defaults = GLYPH_DEFAULTS.line, data = null, vectorized = false) {
    super('line', attrs, prefix, { ...GLYPH_DEFAULTS.line, ...defaults }, data, vectorized);
  }

  set(ctx, i = 0) {
    ctx.strokeStyle = cssColor(this.value('color', i)) ?? 'rgba(0,0,0,0)';
    ctx.globalAlpha = alphaOf(this.value('alpha', i));
    ctx.lineWidth = asNumberOr(this.value('width', i), 1);
    ctx.lineJoin = this.value('join', i);
    ctx.lineCap = this.value('cap', i);
    const dash = this.value('dash', i);
    ctx.setLineDash(Array.isArray(dash) ? dash : []);
    ctx.lineDashOffset = asNumberOr(this.value('dash_offset', i), 0);
  }
}

export class FillVisual extends Visual {
  constructor(attrs, prefix = '', defaults = GLYPH_DEFAULTS.fill, data = null, vectorized = false) {
    super('fill', attrs, prefix, { ...GLYPH_DEFAULTS.fill, ...defaults }, data, vectorized);
  }

  set(ctx, i = 0) {
    ctx.fillStyle = cssColor(this.value('color', i)) ?? 'rgba(0,0,0,0)';
    ctx.globalAlpha = alphaOf(this.value('alpha', i));
  }
}

export class TextVisual extends Visual {
  constructor(attrs, prefix = '', defaults = GLYPH_DEFAULTS.text, data = null, vectorized = false) {
    super('text', attrs, prefix, { ...GLYPH_DEFAULTS.text, ...defaults }, data, vectorized);
  }

  font(i = 0) {
    return fontString(this.value('font_style', i), this.value('font_size', i), this.value('font', i));
  }

  set(ctx, i = 0) {
    ctx.font = this.font(i);
    ctx.fillStyle = cssColor(this.value('color', i)) ?? 'rgba(0,0,0,0)';
    ctx.globalAlpha = alphaOf(this.value('alpha', i));
    ctx.textAlign = this.value('align', i);
    ctx.textBaseline = this.value('baseline', i);
  }
}

function alphaOf(value) {
  const n = Number(value);
  return Number.isFinite(n) ? Math.max(0, Math.min(1, n)) : 1;
}

function asNumberOr(value, fallback) {
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

/**
 * Group item indices by visual key so that each group can be drawn as one
 * path with one style.  Returns [[firstIndex, indices], ...].
 */
export function groupByStyle(indices, visuals) {
  if (visuals.every((v) => v.isConstant)) return [[indices[0], indices]];
  const groups = new Map();
  for (const i of indices) {
    let key = '';
    for (const v of visuals) key += v.key(i);
    let group = groups.get(key);
    if (!group) {
      group = [];
      groups.set(key, group);
    }
    group.push(i);
  }
  return [...groups.values()].map((group) => [group[0], group]);
}
