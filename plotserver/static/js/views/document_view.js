// document_view.js - everything on screen for one root object of a
// document: the PlotContext's children stacked vertically, or one object
// (MODELS.md 5.1).  Plots become PlotViews; GridPlot, HBox and VBox lay
// out their children; widgets become HTML controls.
//
// Data flows one way: the page applies a push to the document, tells this
// view which ids changed (`update`), and calls `render` once per animation
// frame.  Views whose models changed are rebuilt; views whose data changed
// repaint; everything else keeps its pixels.

import { el } from '../dom.js';
import { RangeManager } from './ranges.js';
import { PlotView } from './plot.js';
import { buildToolbar } from './toolbar.js';
import { widgetElement } from './widgets.js';
import { ToolState } from '../tools/state.js';

const PLOT_TYPES = new Set(['Plot', 'GMapPlot', 'GeoJSPlot']);
const ROW_TYPES = new Set(['HBox', 'AppHBox']);
const COLUMN_TYPES = new Set(['VBox', 'VBoxForm', 'AppVBox', 'AppVBoxForm']);

export class DocumentView {
  /**
   * requestRedraw({soon}): asks the page for a render on the next animation
   * frame (with `soon`, at once when no render happened within the last frame).
   * services: what tools need from the page: saveSelection(source) and
   * saveObject(model) (write back to the server), savePicture(canvases,
   * name), runTapCallback(tool, plotView), helpUrl.
   */
  constructor(doc, rootId, requestRedraw, services) {
    this.doc = doc;
    this.rootId = rootId;
    this.requestRedraw = requestRedraw;
    this.services = services;
    this.ranges = new RangeManager();
    this.plotViews = new Map(); // plot id -> PlotView
    this.gridStates = new Map(); // GridPlot id -> {key, state}: toolbar state kept across rebuilds
    this.layoutIds = new Set(); // ids of everything laid out except plots' insides
    this.el = el('div', 'ps-document');
    this.build();
  }

  /** (Re)build the tree; plot views of unchanged plots are kept. */
  build(changed = null) {
    const root = this.doc.get(this.rootId);
    const used = new Map();
    this.layoutIds = new Set();
    const page = { ranges: this.ranges, requestRedraw: this.requestRedraw, services: this.services };

    const plotView = (model, options) => {
      let view = this.plotViews.get(model.id);
      if (view && view.sharedToolState !== options.toolState) {
        view.destroy();
        view = null;
      }
      if (!view) view = new PlotView(page, model, options);
      else if (changed === null || intersects(view.structureIds, changed)) view.build();
      used.set(model.id, view);
      return view.el;
    };

    const render = (model, depth = 0) => {
      if (!model) return el('div', 'ps-missing', 'This object is not loaded (yet).');
      if (depth > 20) return el('div', 'ps-missing', 'Layout nested too deeply.');
      this.layoutIds.add(model.id);
      if (PLOT_TYPES.has(model.type)) {
        this.layoutIds.delete(model.id); // the plot view watches its own ids
        return plotView(model, { toolState: null });
      }
      if (model.type === 'GridPlot') return this.#gridPlot(model, plotView, render, depth);
      if (model.type === 'PlotContext') {
        const children = (model.get('children') || []).filter(Boolean);
        if (!children.length) {
          return el('p', 'ps-empty', 'This document has no plots yet. It will update when something is pushed to it.');
        }
        return el('div', 'ps-context', ...children.map((child) => render(child, depth + 1)));
      }
      if (ROW_TYPES.has(model.type) || COLUMN_TYPES.has(model.type)) {
        const box = el('div', ROW_TYPES.has(model.type) ? 'ps-hbox' : 'ps-vbox');
        if (model.type.endsWith('Form')) box.classList.add('ps-form');
        for (const child of (model.get('children') || [])) box.append(render(child, depth + 1));
        const { width, height } = model.attributes;
        if (typeof width === 'number') box.style.width = `${width}px`;
        if (typeof height === 'number') box.style.height = `${height}px`;
        return box;
      }
      const widget = widgetElement(model, (child) => render(child, depth + 1));
      if (widget) {
        // A widget shows other objects' state too (a table's source, a tab's
        // title); plots inside it are watched by their own views.
        const shown = this.doc.reachableFrom(model.id, { skip: (obj) => PLOT_TYPES.has(obj.type) });
        for (const id of shown) this.layoutIds.add(id);
        return widget;
      }
      return el('div', 'ps-placeholder', `${model.type} (not drawn by this version of plotserver)`);
    };

    const content = root ? render(root) : el('p', 'ps-empty', `Object ${this.rootId} is not in this document.`);
    for (const [id, view] of this.plotViews) if (used.get(id) !== view) view.destroy();
    this.plotViews = used;
    this.el.replaceChildren(content);
  }

  #gridPlot(model, plotView, render, depth) {
    const a = model.attributes;
    const gap = typeof a.border_space === 'number' ? a.border_space : 0;
    const rows = Array.isArray(a.children) ? a.children : [];
    const grid = el('div', 'ps-gridplot-cells');
    grid.style.gap = `${gap}px`;
    const resolvedRows = rows.map((row) => (Array.isArray(row) ? this.doc.resolve(row) : []));
    const plots = resolvedRows.flat().filter((child) => child && PLOT_TYPES.has(child.type));
    const tools = plots.flatMap((child) => (child.get('tools') || []).filter(Boolean));
    const state = this.#gridState(model, tools);
    const columns = Math.max(0, ...resolvedRows.map((row) => row.length));
    grid.style.gridTemplateColumns = `repeat(${columns}, max-content)`;
    for (const row of resolvedRows) {
      for (let c = 0; c < columns; c++) {
        const child = row[c];
        if (child && PLOT_TYPES.has(child.type)) {
          grid.append(plotView(child, { toolState: state }));
        } else if (child) {
          grid.append(render(child, depth + 1));
        } else {
          grid.append(el('div', 'ps-gridplot-empty'));
        }
      }
    }
    // One toolbar for the whole grid (BokehJS default: on the left).
    const location = a.toolbar_location === undefined ? 'left' : a.toolbar_location;
    const box = el('div', `ps-gridplot ps-toolbar-at-${location || 'none'}`);
    box.dataset.objid = model.id;
    if (typeof location === 'string') {
      const toolbar = buildToolbar(tools, location, { state, showLogo: false, helpUrl: this.services.helpUrl });
      if (location === 'below' || location === 'right') box.append(grid, toolbar);
      else box.append(toolbar, grid);
    } else {
      box.append(grid);
    }
    return box;
  }

  /** The ToolState of a GridPlot's toolbar: the same one while its tools stay the same. */
  #gridState(model, tools) {
    const key = tools.map((tool) => tool.id).join(' ');
    const kept = this.gridStates.get(model.id);
    if (kept && kept.key === key) return kept.state;
    const state = new ToolState(tools);
    state.listen((event) => {
      if (event.kind !== 'action' || event.type !== 'PreviewSaveTool') return;
      // The whole grid in one picture, each plot where it is on the page.
      const canvases = [...this.plotViews.values()].filter((view) => view.sharedToolState === state).map((view) => view.canvas);
      this.services.savePicture(canvases, 'plots');
    });
    this.gridStates.set(model.id, { key, state });
    return state;
  }

  /**
   * The document changed: `changed` is the set of ids created, updated or
   * removed (null: anything may have changed).
   */
  update(changed) {
    if (changed === null || intersects(this.layoutIds, changed) || changed.has(this.rootId)) {
      this.build(changed);
      return;
    }
    for (const view of this.plotViews.values()) {
      if (intersects(view.structureIds, changed)) view.build();
    }
  }

  /** Repaint what changed.  Returns the number of plots repainted. */
  render() {
    this.ranges.newPass();
    let painted = 0;
    for (const view of this.plotViews.values()) if (view.render()) painted += 1;
    return painted;
  }

  /** Drop cached pixels (and with `remap` the screen mappings) of every plot. */
  forgetPixels(remap) {
    for (const view of this.plotViews.values()) view.forgetPixels(remap);
  }

  describePlots() {
    return [...this.plotViews.values()].map((view) => view.describe());
  }

  toScreen(plotId, x, y) {
    const view = this.plotViews.get(plotId);
    return view ? view.toScreen(x, y) : null;
  }
}

function intersects(set, changed) {
  for (const id of changed) if (set.has(id)) return true;
  return false;
}
