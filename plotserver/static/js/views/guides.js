// guides.js - axes and grids (MODELS.md 4.8, 4.9, 5.2, 5.7, 5.8, 5.10).
//
// An axis lives in one of the plot's side panels; its thickness (ticks,
// tick labels, axis label) decides how much room that panel takes, so the
// plot asks every axis for its extent before it places the frame.  A grid
// shares its axis's ticker and draws lines across the frame.

import { numberOr as num } from '../core/dataspec.js';
import { factorCoordinate } from '../core/scales.js';
import { textAscent, textWidth } from '../core/text.js';
import { formatterFor } from '../core/formatters.js';
import { tickerFor } from '../core/tickers.js';
import { FillVisual, LineVisual, TextVisual } from '../core/visuals.js';


/** Crisp 1-px lines: odd widths sit on pixel centres. */
function snap(v, width = 1) {
  return Math.round(width) % 2 === 1 ? Math.round(v - 0.5) + 0.5 : Math.round(v);
}

/**
 * One path of crisp lines, one per value: `segment(p)` adds the line at the
 * value's pixel position `p` along the scale.
 */
function strokeLines(ctx, visual, scale, values, segment) {
  if (!visual.doit || !values.length) return;
  visual.set(ctx);
  const width = ctx.lineWidth;
  ctx.beginPath();
  for (const v of values) {
    const p = snap(scale.map(v), width);
    if (Number.isFinite(p)) segment(p);
  }
  ctx.stroke();
}

/**
 * Ticks of `ticker` over the range `rv` ({start, end, factors?}), limited
 * to `[lo, hi]`: {major: values, positions: synthetic coordinates, minor}.
 */
export function rangeTicks(ticker, rv, lo = Math.min(rv.start, rv.end), hi = Math.max(rv.start, rv.end)) {
  if (!ticker || !Number.isFinite(lo) || !Number.isFinite(hi)) return { major: [], positions: [], minor: [] };
  if (rv.factors) {
    const { major } = ticker.ticks(lo, hi, { factors: rv.factors, offset: rv.offset });
    const positions = major.map((f) => factorCoordinate(f, rv.index, rv.offset));
    return { major, positions, minor: [] };
  }
  const { major, minor } = ticker.ticks(lo, hi);
  const inside = (v) => v >= lo && v <= hi;
  const kept = major.filter(inside);
  return { major: kept, positions: kept, minor: minor.filter(inside), all: major };
}

export class AxisView {
  constructor(plot, model, side) {
    this.plot = plot;
    this.model = model;
    this.id = model.id;
    this.side = side;
    const a = model.attributes;
    this.attrs = a;
    this.visible = a.visible !== false;
    this.xRangeName = typeof a.x_range_name === 'string' ? a.x_range_name : 'default';
    this.yRangeName = typeof a.y_range_name === 'string' ? a.y_range_name : 'default';
    const tickerModel = model.get('ticker');
    const formatterModel = model.get('formatter');
    this.ticker = tickerModel ? tickerFor(tickerModel) : null;
    this.formatter = formatterModel ? formatterFor(formatterModel) : null;
    this.label = typeof a.axis_label === 'string' ? a.axis_label : '';
    this.labelStandoff = num(a.axis_label_standoff, 5);
    this.majorLabelStandoff = num(a.major_label_standoff, 5);
    this.majorTickIn = num(a.major_tick_in, 2);
    this.majorTickOut = num(a.major_tick_out, 6);
    this.minorTickIn = num(a.minor_tick_in, 0);
    this.minorTickOut = num(a.minor_tick_out, 4);
    this.orientation = a.major_label_orientation ?? 'horizontal';
    this.axisLine = new LineVisual(a, 'axis_');
    this.majorTickLine = new LineVisual(a, 'major_tick_');
    this.minorTickLine = new LineVisual(a, 'minor_tick_');
    this.majorLabelText = new TextVisual(a, 'major_label_', { font_size: '10pt', align: 'center', baseline: 'alphabetic' });
    this.axisLabelText = new TextVisual(a, 'axis_label_', { font_size: '16pt', align: 'center', baseline: 'alphabetic' });
  }

  get dim() {
    return this.side === 'below' || this.side === 'above' ? 'x' : 'y';
  }

  /** Ticks and labels for the range values `rv` of this axis's dimension. */
  computeTicks(rv) {
    let lo = Math.min(rv.start, rv.end);
    let hi = Math.max(rv.start, rv.end);
    const bounds = this.attrs.bounds;
    if (!rv.factors && Array.isArray(bounds) && bounds.length === 2) {
      // Explicit bounds limit the rule and ticks, clipped to the range.
      lo = Math.max(lo, Math.min(bounds[0], bounds[1]));
      hi = Math.min(hi, Math.max(bounds[0], bounds[1]));
    }
    const ticks = rangeTicks(this.ticker, rv, lo, hi);
    const labels = this.formatter && ticks.major.length ? this.formatter.format(ticks.major) : ticks.major.map(String);
    this.ticks = { ...ticks, labels: labels.map(String), lo, hi };
    return this.ticks;
  }

  /** Angle of the tick labels (radians) and whether it was given as a number. */
  #angle() {
    if (this.orientation === 'vertical') return { theta: Math.PI / 2, numeric: false };
    if (typeof this.orientation === 'number') return { theta: this.orientation, numeric: true };
    return { theta: 0, numeric: false };
  }

  /** Panel thickness in px (MODELS.md 5.2). Needs computeTicks() first. */
  extent(ctx) {
    if (!this.visible) return 0;
    let labelExtent = 0;
    const labels = this.ticks ? this.ticks.labels : [];
    if (labels.length) {
      const font = this.majorLabelText.font();
      const { theta, numeric } = this.#angle();
      const k = numeric ? 2 : 1;
      const horizontalSide = this.dim === 'x';
      const a = horizontalSide ? Math.abs(Math.sin(theta)) : Math.abs(Math.cos(theta));
      const c = horizontalSide ? Math.abs(Math.cos(theta)) : Math.abs(Math.sin(theta));
      const h = 0.9 * textAscent(ctx, font);
      for (const label of labels) {
        const w = 1.1 * textWidth(ctx, font, label);
        labelExtent = Math.max(labelExtent, w * a + (h / k) * c);
      }
      labelExtent += this.majorLabelStandoff;
    }
    let axisLabelExtent = 0;
    if (this.label) axisLabelExtent = this.labelStandoff + 0.9 * textAscent(ctx, this.axisLabelText.font());
    this.labelExtent = labelExtent;
    return this.majorTickOut + labelExtent + axisLabelExtent;
  }

  /**
   * Draw the axis.  `offset`: px between the frame edge and this axis's
   * panel (the thickness of axes stacked closer to the frame).
   */
  render(ctx, frame, scale, offset) {
    if (!this.visible || !this.ticks) return;
    const side = this.side;
    const out = side === 'below' || side === 'right' ? 1 : -1; // away from the frame
    const horizontal = this.dim === 'x';
    let edge;
    if (side === 'below') edge = frame.top + frame.height + offset;
    else if (side === 'above') edge = frame.top - offset;
    else if (side === 'left') edge = frame.left - offset;
    else edge = frame.left + frame.width + offset;
    // A point `along` the axis (px) and `across` it (px outward from the edge).
    const at = (along, across) => (horizontal ? [along, edge + out * across] : [edge + out * across, along]);
    const { positions, minor, lo, hi } = this.ticks;

    if (this.axisLine.doit && Number.isFinite(lo) && Number.isFinite(hi)) {
      this.axisLine.set(ctx);
      const w = ctx.lineWidth;
      ctx.beginPath();
      const [x0, y0] = at(scale.map(lo), 0);
      const [x1, y1] = at(scale.map(hi), 0);
      if (horizontal) {
        ctx.moveTo(x0, snap(y0, w));
        ctx.lineTo(x1, snap(y1, w));
      } else {
        ctx.moveTo(snap(x0, w), y0);
        ctx.lineTo(snap(x1, w), y1);
      }
      ctx.stroke();
    }
    const ticks = (values, visual, tickIn, tickOut) => strokeLines(ctx, visual, scale, values, (p) => {
      ctx.moveTo(...at(p, -tickIn));
      ctx.lineTo(...at(p, tickOut));
    });
    ticks(minor, this.minorTickLine, this.minorTickIn, this.minorTickOut);
    ticks(positions, this.majorTickLine, this.majorTickIn, this.majorTickOut);
    this.#renderLabels(ctx, at, scale);
    this.#renderAxisLabel(ctx, frame, at);
  }

  #renderLabels(ctx, at, scale) {
    const visual = this.majorLabelText;
    if (!visual.doit) return;
    const { positions, labels } = this.ticks;
    const { theta, numeric } = this.#angle();
    const side = this.side;
    visual.set(ctx);
    let align;
    let baseline;
    if (numeric && theta === 0) {
      align = ctx.textAlign; // a numeric 0 keeps the model's own alignment
      baseline = ctx.textBaseline;
    } else if (this.orientation === 'vertical') {
      [align, baseline] = { below: ['right', 'middle'], above: ['left', 'middle'], left: ['center', 'alphabetic'], right: ['center', 'alphabetic'] }[side];
    } else if (numeric) {
      baseline = 'middle';
      const towardsEnd = theta > 0 ? { below: 'right', left: 'right', above: 'left', right: 'left' }
        : { below: 'left', right: 'left', above: 'right', left: 'right' };
      align = towardsEnd[side];
    } else {
      [align, baseline] = { below: ['center', 'hanging'], above: ['center', 'alphabetic'], left: ['right', 'middle'], right: ['left', 'middle'] }[side];
    }
    ctx.textAlign = align;
    ctx.textBaseline = baseline;
    // Left/right "vertical" labels turn to read along the axis.
    let rotation = -theta;
    if (this.orientation === 'vertical' && side === 'right') rotation = Math.PI / 2;
    const distance = this.majorTickOut + this.majorLabelStandoff;
    for (let i = 0; i < positions.length; i++) {
      const p = scale.map(positions[i]);
      if (!Number.isFinite(p)) continue;
      const [x, y] = at(p, distance);
      if (rotation) {
        ctx.save();
        ctx.translate(x, y);
        ctx.rotate(rotation);
        ctx.fillText(labels[i], 0, 0);
        ctx.restore();
      } else {
        ctx.fillText(labels[i], x, y);
      }
    }
  }

  #renderAxisLabel(ctx, frame, at) {
    if (!this.label || !this.axisLabelText.doit) return;
    const horizontal = this.dim === 'x';
    const middle = horizontal ? frame.left + frame.width / 2 : frame.top + frame.height / 2;
    const [x, y] = at(middle, this.majorTickOut + this.labelExtent + this.labelStandoff);
    this.axisLabelText.set(ctx);
    ctx.textAlign = 'center';
    ctx.save();
    ctx.translate(x, y);
    if (this.side === 'below') ctx.textBaseline = 'hanging';
    else if (this.side === 'above') ctx.textBaseline = 'alphabetic';
    else {
      // Rotated to run along the axis; its top faces away from the frame.
      ctx.rotate(this.side === 'left' ? -Math.PI / 2 : Math.PI / 2);
      ctx.textBaseline = 'alphabetic';
    }
    ctx.fillText(this.label, 0, 0);
    ctx.restore();
  }
}

export class GridView {
  constructor(plot, model) {
    this.plot = plot;
    this.model = model;
    this.id = model.id;
    const a = model.attributes;
    this.level = typeof a.level === 'string' ? a.level : 'underlay';
    this.dim = a.dimension === 1 ? 'y' : 'x';
    this.xRangeName = typeof a.x_range_name === 'string' ? a.x_range_name : 'default';
    this.yRangeName = typeof a.y_range_name === 'string' ? a.y_range_name : 'default';
    const tickerModel = model.get('ticker');
    this.ticker = tickerModel ? tickerFor(tickerModel) : null;
    this.gridLine = new LineVisual(a, 'grid_', { color: '#cccccc' });
    this.minorGridLine = new LineVisual(a, 'minor_grid_', { color: null });
    this.bandFill = new FillVisual(a, 'band_', { color: null, alpha: 0 });
  }

  render(ctx, frame, scale, rv) {
    const lo = Math.min(rv.start, rv.end);
    const hi = Math.max(rv.start, rv.end);
    const ticks = rangeTicks(this.ticker, rv, lo, hi);
    // Every major the ticker returned except those exactly at the range ends.
    const majors = (rv.factors ? ticks.positions : ticks.all || []).filter((v) => v !== lo && v !== hi);
    const horizontalLines = this.dim === 'y';
    const line = (visual, values) => strokeLines(ctx, visual, scale, values, (p) => {
      if (horizontalLines) {
        ctx.moveTo(frame.left, p);
        ctx.lineTo(frame.left + frame.width, p);
      } else {
        ctx.moveTo(p, frame.top);
        ctx.lineTo(p, frame.top + frame.height);
      }
    });
    if (this.bandFill.doit) {
      // Bands fill every second gap: between majors 1 and 2, 3 and 4, ...
      this.bandFill.set(ctx);
      const all = rv.factors ? ticks.positions : ticks.all || [];
      for (let i = 1; i + 1 < all.length; i += 2) {
        const a = scale.map(all[i]);
        const b = scale.map(all[i + 1]);
        if (horizontalLines) ctx.fillRect(frame.left, Math.min(a, b), frame.width, Math.abs(b - a));
        else ctx.fillRect(Math.min(a, b), frame.top, Math.abs(b - a), frame.height);
      }
    }
    line(this.minorGridLine, ticks.minor);
    line(this.gridLine, majors);
  }
}
