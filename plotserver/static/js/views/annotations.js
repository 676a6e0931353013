// annotations.js - Legend and BoxAnnotation (MODELS.md 4.12, 5.9).

import { constantOf, numberOr as num, specParts } from '../core/dataspec.js';
import { textWidth } from '../core/text.js';
import { FillVisual, LineVisual, TextVisual } from '../core/visuals.js';


export class LegendView {
  constructor(plot, model) {
    this.plot = plot;
    this.model = model;
    this.id = model.id;
    const a = model.attributes;
    this.level = typeof a.level === 'string' ? a.level : 'overlay';
    this.glyphWidth = num(a.glyph_width, 20);
    this.glyphHeight = num(a.glyph_height, 20);
    this.labelWidth = num(a.label_width, 50);
    this.labelHeight = num(a.label_height, 20);
    this.padding = num(a.legend_padding, 10);
    this.spacing = num(a.legend_spacing, 3);
    this.orientation = typeof a.orientation === 'string' ? a.orientation : 'top_right';
    this.background = new FillVisual(a, 'background_', { color: '#fff', alpha: 1 });
    this.border = new LineVisual(a, 'border_', { color: 'black' });
    this.labelText = new TextVisual(a, 'label_', { font_size: '10pt', align: 'left', baseline: 'middle' });
    // [[label, [GlyphRenderer, ...]], ...]
    this.entries = (Array.isArray(a.legends) ? a.legends : [])
      .filter((entry) => Array.isArray(entry) && entry.length === 2)
      .map(([label, refs]) => ({ label: String(label), renderers: Array.isArray(refs) ? refs : [] }));
  }

  get labels() {
    return this.entries.map((e) => e.label);
  }

  render(ctx, frame) {
    const n = this.entries.length;
    if (!n) return;
    const s = this.spacing;
    const font = this.labelText.font();
    const rowHeight = Math.max(this.labelHeight, this.glyphHeight);
    const labelColumn = Math.max(this.labelWidth, ...this.entries.map((e) => textWidth(ctx, font, e.label)));
    const width = labelColumn + this.glyphWidth + 3 * s;
    const height = n * rowHeight + (n + 1) * s;
    const p = this.padding;
    const right = this.orientation.endsWith('right');
    const bottom = this.orientation.startsWith('bottom');
    const left = right ? frame.left + frame.width - p - width : frame.left + p;
    const top = bottom ? frame.top + frame.height - p - height : frame.top + p;

    ctx.beginPath();
    // On pixel centres, so a 1 px border is crisp.
    ctx.rect(Math.round(left) + 0.5, Math.round(top) + 0.5, Math.round(width), Math.round(height));
    if (this.background.doit) {
      this.background.set(ctx);
      ctx.fill();
    }
    if (this.border.doit) {
      this.border.set(ctx);
      ctx.stroke();
    }
    const views = this.plot.glyphRendererViewsById;
    this.entries.forEach((entry, i) => {
      const rowTop = top + i * rowHeight + (i + 1) * s;
      if (this.labelText.doit) {
        this.labelText.set(ctx);
        ctx.fillText(entry.label, left + s, rowTop + rowHeight / 2);
      }
      const x0 = left + 2 * s + labelColumn;
      const box = { x0, y0: rowTop, x1: x0 + this.glyphWidth, y1: rowTop + this.glyphHeight };
      for (const ref of entry.renderers) {
        const view = ref && views.get(ref.id);
        if (view) view.renderLegend(ctx, box);
      }
    });
  }
}

export class BoxAnnotationView {
  constructor(plot, model) {
    this.plot = plot;
    this.model = model;
    this.id = model.id;
    const a = model.attributes;
    this.attrs = a;
    this.level = typeof a.level === 'string' ? a.level : 'annotation';
    this.xRangeName = typeof a.x_range_name === 'string' ? a.x_range_name : 'default';
    this.yRangeName = typeof a.y_range_name === 'string' ? a.y_range_name : 'default';
    this.fill = new FillVisual(a, '', { color: '#fff9ba', alpha: 0.4 });
    this.line = new LineVisual(a, '', { color: '#cccccc', alpha: 0.3 });
  }

  /** Screen position of one edge; 'auto' or unset is the frame edge. */
  #edge(name, scale, frameEdge, canvasHeight, vertical) {
    const attr = this.attrs[name];
    if (attr === undefined || attr === null || attr === 'auto') return frameEdge;
    const value = constantOf(attr, undefined);
    if (typeof value !== 'number') return frameEdge;
    const units = specParts(attr).units || this.attrs[`${name}_units`] || 'data';
    if (units === 'screen') return vertical ? canvasHeight - value : value; // screen y counts from the bottom
    return scale.map(value);
  }

  render(ctx, frame, xscale, yscale, canvasHeight) {
    const left = this.#edge('left', xscale, frame.left, canvasHeight, false);
    const right = this.#edge('right', xscale, frame.left + frame.width, canvasHeight, false);
    const top = this.#edge('top', yscale, frame.top, canvasHeight, true);
    const bottom = this.#edge('bottom', yscale, frame.top + frame.height, canvasHeight, true);
    if (![left, right, top, bottom].every(Number.isFinite)) return;
    ctx.beginPath();
    ctx.rect(Math.min(left, right), Math.min(top, bottom), Math.abs(right - left), Math.abs(bottom - top));
    if (this.fill.doit) {
      this.fill.set(ctx);
      ctx.fill();
    }
    if (this.line.doit) {
      this.line.set(ctx);
      ctx.stroke();
    }
  }
}
