// controller.js - a plot's pointer, wheel and touch input turned into tool
// actions (MODELS.md 4.14).
//
// One PlotInteraction per PlotView.  Pointer events (mouse, pen and touch
// alike) become gestures - a press that moves more than a few pixels is a
// drag, one that does not is a tap, two touching fingers are a pinch - and
// each gesture goes to the tool the toolbar's ToolState has active for it.
// Inspectors (hover, crosshair) follow the mouse at most once per frame.
//
// Tools never touch the models' ranges: pan and zoom set the page's range
// overrides (views/ranges.js), so every plot sharing a range follows and
// reset simply forgets them.  Selections are written into the data sources
// and saved back to the server.  Transient marks (rubber bands, the lasso,
// the crosshair) are SVG paths laid over the plot, so drawing them never
// repaints the plot itself.

import { DRAG_TOOLS, polygonPath } from './drag_tools.js';
import { Inspectors } from './inspectors.js';
import { pannedRange, toolDimensions, usableRange, wheelFactor, zoomedRange } from './navigation.js';
import { geometryOf, selectHits, toolRenderers } from './selection.js';
import { hitPoint, hitPolygon } from './hit_test.js';
import { makeScale } from '../core/scales.js';

const DRAG_THRESHOLD = 3; // px a press may wander and still be a tap
const POLY_CLOSE_PX = 6; // a poly-select click this close to the first vertex closes it
const SVG_NS = 'http://www.w3.org/2000/svg';

export class PlotInteraction {
  constructor(plotView, state) {
    this.plot = plotView;
    this.state = state;
    this.page = plotView.page;
    this.pointers = new Map(); // pointerId -> {x, y}
    this.press = null; // the gesture of the first pointer down
    this.drag = null; // {handler, data} of the drag tool at work
    this.pinch = null;
    this.poly = []; // vertices of a poly selection being drawn
    this.unsaved = new Set(); // sources selected on during a gesture, saved at its end
    this.inspectors = new Inspectors(plotView);
    this.hoverAt = null;
    this.hoverFrame = 0;
    // How long the last hover (hit tests and tooltip; the hit tests alone
    // are inspectors.lookupMs) and the last selection (hit test and the
    // sources' new `selected`) took, in ms.
    this.timings = { inspectMs: NaN, selectMs: NaN };

    const wrap = plotView.wrap;
    const on = (type, handler, options) => {
      wrap.addEventListener(type, handler, options);
      return () => wrap.removeEventListener(type, handler, options);
    };
    this.detachers = [
      on('pointerdown', (e) => this.#down(e)),
      on('pointermove', (e) => this.#move(e)),
      on('pointerup', (e) => this.#up(e)),
      on('pointercancel', (e) => this.#cancel(e)),
      on('pointerleave', (e) => { if (e.pointerType !== 'touch') this.#hover(null); }),
      on('wheel', (e) => this.#wheel(e), { passive: false }),
      on('dblclick', (e) => this.#doubleClick(e)),
      state.listen((event) => this.#toolbar(event)),
    ];
    // Let the browser scroll and zoom the page with fingers unless a tool wants them.
    const wantsTouch = state.activeFor('drag') || state.activeFor('scroll');
    wrap.style.touchAction = wantsTouch ? 'none' : '';
  }

  /** The plot repainted its glyphs (new data, maybe): get hover ready for what it shows. */
  glyphsPainted() {
    if (this.state.isOn('HoverTool')) this.inspectors.prepare(this.plot.toolsOfType('HoverTool'));
  }

  destroy() {
    for (const detach of this.detachers) detach();
    cancelAnimationFrame(this.hoverFrame);
    this.inspectors.hide();
  }

  // ------------------------------------------------------------ helpers for tools

  /** The tool model of `type` in this plot (a grid toolbar drives each plot's own). */
  tool(type) {
    return this.plot.toolsOfType(type)[0] || null;
  }

  /** Scales for every range along `dim`, from the ranges as they are now. */
  scales(dim) {
    return this.plot.currentScales(dim);
  }

  /** Give every range along `dim` the range `change(scale)` of its scale in `scales`. */
  setRanges(dim, scales, change) {
    for (const [name, scale] of scales) {
      const range = this.plot.ranges[dim].get(name);
      const next = change(scale);
      if (range && usableRange(next)) this.page.ranges.override(range, next);
    }
    this.page.requestRedraw();
  }

  inFrame(x, y) {
    const f = this.plot.frame;
    return Boolean(f) && x >= f.left && x <= f.left + f.width && y >= f.top && y <= f.top + f.height;
  }

  /**
   * Show transient marks over the plot, replacing the previous ones: a list
   * of {d, kind} with d an SVG path in canvas CSS px and kind "band" (a
   * shaded, dashed outline: rubber band, lasso) or "line" (crosshair).
   * Nothing (or an empty list) clears them.
   */
  showMarks(marks = []) {
    const layer = this.plot.marks;
    if (!marks.length && !layer.childElementCount) return;
    layer.replaceChildren(...marks.map(({ d, kind }) => {
      const path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('d', d);
      path.setAttribute('class', `ps-mark-${kind}`);
      return path;
    }));
  }

  /**
   * Select with `tool`: each of its renderers is hit by `hit(view)`.  The
   * final selection of a gesture is saved to the server together with the
   * gesture's geometry (ToolEvents.geometries).
   */
  select(tool, hit, { final, append = false, geometry = null }) {
    const started = performance.now();
    const changed = selectHits(toolRenderers(this.plot, tool), hit, { append });
    this.timings.selectMs = performance.now() - started;
    // The end of a gesture is drawn at once rather than at the next frame.
    if (changed.length) this.page.requestRedraw({ soon: final });
    // Selections made while a lasso moves are shown at once and saved when it ends.
    for (const source of changed) this.unsaved.add(source);
    if (!final) return;
    for (const source of this.unsaved) this.page.services.saveSelection(source);
    this.unsaved.clear();
    const toolEvents = this.plot.model.get('tool_events');
    if (geometry && toolEvents) {
      const xscale = this.scales('x').get('default');
      const yscale = this.scales('y').get('default');
      const g = geometryOf(geometry.kind, geometry.points, xscale, yscale);
      const before = Array.isArray(toolEvents.attributes.geometries) ? toolEvents.attributes.geometries : [];
      toolEvents.attributes.geometries = append ? [...before, g] : [g];
      this.page.services.saveObject(toolEvents);
    }
  }

  // ------------------------------------------------------------ pointer events

  #position(e) {
    const rect = this.plot.wrap.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  }

  #down(e) {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    const p = this.#position(e);
    this.pointers.set(e.pointerId, p);
    try {
      this.plot.wrap.setPointerCapture(e.pointerId);
    } catch { /* a synthetic pointer may not be capturable */ }
    if (this.pointers.size === 2) {
      this.#endDrag(null, true);
      this.press = null;
      this.#startPinch();
      return;
    }
    if (this.pointers.size > 2) return;
    this.press = { id: e.pointerId, x: p.x, y: p.y, moved: false, shift: e.shiftKey };
    if (e.pointerType === 'touch') this.#hover(null);
  }

  #move(e) {
    const p = this.#position(e);
    if (this.pointers.has(e.pointerId)) this.pointers.set(e.pointerId, p);
    if (this.pinch) {
      this.#pinchMove();
      return;
    }
    const press = this.press;
    if (press && press.id === e.pointerId) {
      if (!press.moved && Math.hypot(p.x - press.x, p.y - press.y) > DRAG_THRESHOLD) {
        press.moved = true;
        this.#startDrag(press);
      }
      if (press.moved && this.drag) {
        e.preventDefault();
        this.drag.handler.move(this, this.drag.data, p, e);
      }
      return;
    }
    if (e.pointerType !== 'touch' && !this.pointers.size) this.#hover(p);
  }

  #up(e) {
    const p = this.#position(e);
    this.pointers.delete(e.pointerId);
    if (this.pinch) {
      if (this.pointers.size < 2) this.pinch = null;
      return;
    }
    const press = this.press;
    if (!press || press.id !== e.pointerId) return;
    this.press = null;
    if (press.moved) this.#endDrag(p, false);
    else this.#tap(p, press.shift || e.shiftKey);
  }

  #cancel(e) {
    this.pointers.delete(e.pointerId);
    if (this.pinch && this.pointers.size < 2) this.pinch = null;
    if (this.press && this.press.id === e.pointerId) {
      this.press = null;
      this.#endDrag(null, true);
    }
  }

  // ------------------------------------------------------------ drags

  #startDrag(press) {
    const type = this.state.activeFor('drag');
    const handler = type ? DRAG_TOOLS[type] : null;
    const tool = type ? this.tool(type) : null;
    if (!handler || !tool) return;
    // Only the resize tool works outside the frame (its handle is the corner).
    if (type !== 'ResizeTool' && !this.inFrame(press.x, press.y)) return;
    this.#hover(null);
    this.drag = { handler, data: handler.start(this, tool, press) };
  }

  #endDrag(p, cancelled) {
    const drag = this.drag;
    this.drag = null;
    if (!drag) return;
    if (cancelled || !p) {
      if (drag.handler.cancel) drag.handler.cancel(this, drag.data);
      this.showMarks();
      return;
    }
    drag.handler.end(this, drag.data, p);
  }

  // ------------------------------------------------------------ pinch (two fingers)

  #startPinch() {
    const tool = this.tool('WheelZoomTool') || this.tool('PanTool');
    if (!tool) return;
    const [a, b] = [...this.pointers.values()];
    this.pinch = {
      dims: toolDimensions(tool),
      zoom: Boolean(this.tool('WheelZoomTool')),
      center: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 },
      distance: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)),
      scales: { x: this.scales('x'), y: this.scales('y') },
    };
  }

  #pinchMove() {
    const pinch = this.pinch;
    const [a, b] = [...this.pointers.values()];
    if (!a || !b) return;
    const center = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const factor = pinch.zoom ? 1 - pinch.distance / Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)) : 0;
    // Zoom about where the fingers started, then move with their centre.
    const change = (dim) => (scale) => {
      const anchor = dim === 'x' ? pinch.center.x : pinch.center.y;
      const zoomed = zoomedRange(scale, factor, anchor);
      const after = makeScale(scale.linear ? 'linear' : 'log', zoomed.start, zoomed.end, scale.from, scale.to);
      return pannedRange(after, dim === 'x' ? center.x - pinch.center.x : center.y - pinch.center.y);
    };
    if (pinch.dims.x) this.setRanges('x', pinch.scales.x, change('x'));
    if (pinch.dims.y) this.setRanges('y', pinch.scales.y, change('y'));
  }

  // ------------------------------------------------------------ wheel

  #wheel(e) {
    if (this.state.activeFor('scroll') !== 'WheelZoomTool') return;
    const tool = this.tool('WheelZoomTool');
    const p = this.#position(e);
    if (!tool || !this.inFrame(p.x, p.y)) return;
    e.preventDefault(); // the wheel zooms the plot, not the page
    const factor = wheelFactor(e);
    const dims = toolDimensions(tool);
    if (dims.x) this.setRanges('x', this.scales('x'), (scale) => zoomedRange(scale, factor, p.x));
    if (dims.y) this.setRanges('y', this.scales('y'), (scale) => zoomedRange(scale, factor, p.y));
  }

  // ------------------------------------------------------------ taps

  #tap(p, append) {
    const type = this.state.activeFor('tap');
    if (type === 'TapTool' && this.inFrame(p.x, p.y)) {
      const tool = this.tool('TapTool');
      this.select(tool, (view) => hitPoint(view, p.x, p.y),
        { final: true, append, geometry: { kind: 'point', points: [[p.x, p.y]] } });
      this.page.services.runTapCallback(tool, this.plot);
    } else if (type === 'PolySelectTool' && this.inFrame(p.x, p.y)) {
      const first = this.poly[0];
      if (this.poly.length >= 3 && Math.hypot(p.x - first[0], p.y - first[1]) <= POLY_CLOSE_PX) {
        this.#closePoly(append);
        return;
      }
      this.poly.push([p.x, p.y]);
      this.#paintPoly();
    }
  }

  #doubleClick(e) {
    if (this.state.activeFor('tap') !== 'PolySelectTool' || this.poly.length < 3) return;
    e.preventDefault();
    this.#closePoly(e.shiftKey);
  }

  #paintPoly() {
    this.showMarks([{ d: polygonPath(this.poly, this.poly.length > 2), kind: 'band' }]);
  }

  #closePoly(append) {
    const points = this.poly;
    this.poly = [];
    this.showMarks();
    const xs = points.map((q) => q[0]);
    const ys = points.map((q) => q[1]);
    this.select(this.tool('PolySelectTool'), (view) => hitPolygon(view, xs, ys),
      { final: true, append, geometry: { kind: 'poly', points } });
  }

  // ------------------------------------------------------------ toolbar

  #toolbar(event) {
    if (event.kind === 'changed') {
      this.#endDrag(null, true);
      this.poly = [];
      this.showMarks();
      this.#hover(null);
    } else if (event.kind === 'action' && event.type === 'ResetTool') {
      this.reset();
    }
  }

  /** Back to the first view: ranges as the document says, the plot's own size. */
  reset() {
    for (const dim of ['x', 'y']) {
      for (const range of this.plot.ranges[dim].values()) if (range) this.page.ranges.forget(range);
    }
    this.plot.resize(null);
    this.page.requestRedraw();
  }

  // ------------------------------------------------------------ inspection

  #hover(p) {
    this.hoverAt = p;
    if (!p) {
      cancelAnimationFrame(this.hoverFrame);
      this.hoverFrame = 0;
      this.inspectors.hide();
      this.showMarks();
      return;
    }
    if (this.hoverFrame) return;
    this.hoverFrame = requestAnimationFrame(() => {
      this.hoverFrame = 0;
      if (this.hoverAt && !this.drag) this.inspect(this.hoverAt);
    });
  }

  /** Show what the inspectors that are on say about screen point p. */
  inspect(p) {
    const started = performance.now();
    const inside = this.inFrame(p.x, p.y);
    const crosshair = this.state.isOn('CrosshairTool') ? this.tool('CrosshairTool') : null;
    if (crosshair && inside) {
      const dims = toolDimensions(crosshair);
      const f = this.plot.frame;
      let d = '';
      if (dims.x) d += `M${p.x} ${f.top}V${f.top + f.height}`;
      if (dims.y) d += `M${f.left} ${p.y}H${f.left + f.width}`;
      this.showMarks([{ d, kind: 'line' }]);
    } else if (crosshair) {
      this.showMarks();
    }
    if (this.state.isOn('HoverTool') && inside) this.inspectors.hover(p, this.plot.toolsOfType('HoverTool'));
    else this.inspectors.hide();
    this.timings.inspectMs = performance.now() - started;
  }
}
