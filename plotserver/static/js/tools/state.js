// state.js - which tool answers which gesture, for one toolbar.
//
// A plot's toolbar, or a GridPlot's single toolbar shared by its child
// plots, owns one ToolState: for each exclusive gesture (drag, scroll, tap)
// the tool type that is active, and which inspectors (hover, crosshair) are
// switched on.  Plots ask it on every gesture; the toolbar's buttons change
// it; action buttons (reset, save) are announced to every listening plot.
// Pure module: no DOM.

// The gesture each tool competes for and its BokehJS default_order: for each
// gesture the tool with the lowest order starts active (MODELS.md 4.14).
export const TOOL_INFO = {
  PanTool: { gesture: 'drag', order: 10, title: 'Pan' },
  LassoSelectTool: { gesture: 'drag', order: 12, title: 'Lasso Select' },
  BoxZoomTool: { gesture: 'drag', order: 20, title: 'Box Zoom' },
  BoxSelectTool: { gesture: 'drag', order: 30, title: 'Box Select' },
  ResizeTool: { gesture: 'drag', order: 40, title: 'Resize' },
  WheelZoomTool: { gesture: 'scroll', order: 10, title: 'Wheel Zoom' },
  TapTool: { gesture: 'tap', order: 10, title: 'Tap' },
  PolySelectTool: { gesture: 'tap', order: 11, title: 'Poly Select' },
  PreviewSaveTool: { gesture: 'action', order: 1, title: 'Preview/Save' },
  ResetTool: { gesture: 'action', order: 2, title: 'Reset' },
  HoverTool: { gesture: 'inspect', order: 1, title: 'Hover' },
  CrosshairTool: { gesture: 'inspect', order: 2, title: 'Crosshair' },
  HelpTool: { gesture: 'help', order: 1, title: 'Help' },
};

export const EXCLUSIVE_GESTURES = ['drag', 'scroll', 'tap'];

export function toolInfo(type) {
  return TOOL_INFO[type] || { gesture: 'action', order: 99, title: type };
}

export class ToolState {
  /** tools: the tool models (PlotObjects) this toolbar shows. */
  constructor(tools) {
    this.types = new Set(tools.filter(Boolean).map((tool) => tool.type));
    this.active = new Map(); // gesture -> tool type
    for (const gesture of EXCLUSIVE_GESTURES) {
      let best = null;
      for (const type of this.types) {
        const info = toolInfo(type);
        if (info.gesture === gesture && (best === null || info.order < toolInfo(best).order)) best = type;
      }
      if (best !== null) this.active.set(gesture, best);
    }
    this.inspectorsOff = new Set();
    this.listeners = new Set();
  }

  /** The active tool type for `gesture`, or null. */
  activeFor(gesture) {
    return this.active.get(gesture) ?? null;
  }

  isOn(type) {
    const { gesture } = toolInfo(type);
    if (gesture === 'inspect') return this.types.has(type) && !this.inspectorsOff.has(type);
    return this.active.get(gesture) === type;
  }

  /** A toolbar click: make `type` the active tool of its gesture, or toggle an inspector. */
  toggle(type) {
    const { gesture } = toolInfo(type);
    if (gesture === 'inspect') {
      if (this.inspectorsOff.has(type)) this.inspectorsOff.delete(type);
      else this.inspectorsOff.add(type);
    } else if (EXCLUSIVE_GESTURES.includes(gesture)) {
      this.active.set(gesture, type);
    }
    this.#emit({ kind: 'changed', type });
  }

  /** An action button (reset, save) was pressed. */
  trigger(type) {
    this.#emit({ kind: 'action', type });
  }

  /** listener(event) for {kind: 'changed'|'action', type}; returns an unsubscribe function. */
  listen(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  #emit(event) {
    for (const listener of [...this.listeners]) listener(event);
  }
}
