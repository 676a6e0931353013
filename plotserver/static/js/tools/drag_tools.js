// drag_tools.js - the tools that answer a drag: pan, box zoom, box select,
// lasso select and resize.  Each is {start(c, tool, press) -> data,
// move(c, data, p, event), end(c, data, p), cancel?(c, data)}, where c is
// the plot's PlotInteraction (tools/controller.js) and p a point in canvas
// CSS px.

import { hitPolygon, hitRect } from './hit_test.js';
import { boxRange, pannedRange, toolDimensions } from './navigation.js';

const MIN_BOX_PX = 2; // a smaller box zoom is a slip of the hand

/** An SVG path through points [[x, y], ...], closed when asked. */
export function polygonPath(points, close) {
  const d = points.map(([x, y], i) => `${i ? 'L' : 'M'}${x} ${y}`).join('');
  return close ? `${d}Z` : d;
}

/** The box between the press and p, stretched over the frame along a dimension the tool leaves alone. */
function box(c, data, p) {
  const f = c.plot.frame;
  const { dims } = data;
  return {
    x0: dims.x ? Math.min(data.x, p.x) : f.left,
    x1: dims.x ? Math.max(data.x, p.x) : f.left + f.width,
    y0: dims.y ? Math.min(data.y, p.y) : f.top,
    y1: dims.y ? Math.max(data.y, p.y) : f.top + f.height,
  };
}

function showBox(c, b) {
  c.showMarks([{ d: `M${b.x0} ${b.y0}H${b.x1}V${b.y1}H${b.x0}Z`, kind: 'band' }]);
}

const Pan = {
  start(c, tool, press) {
    return { x: press.x, y: press.y, dims: toolDimensions(tool), scales: { x: c.scales('x'), y: c.scales('y') } };
  },
  move(c, data, p) {
    // Always from the scales at the press: the data under the pointer stays under it.
    if (data.dims.x) c.setRanges('x', data.scales.x, (scale) => pannedRange(scale, p.x - data.x));
    if (data.dims.y) c.setRanges('y', data.scales.y, (scale) => pannedRange(scale, p.y - data.y));
  },
  end(c, data, p) {
    this.move(c, data, p);
  },
};

const BoxZoom = {
  start(c, tool, press) {
    return { x: press.x, y: press.y, dims: toolDimensions(tool) };
  },
  move(c, data, p) {
    showBox(c, box(c, data, p));
  },
  end(c, data, p) {
    c.showMarks();
    const b = box(c, data, p);
    if (b.x1 - b.x0 < MIN_BOX_PX || b.y1 - b.y0 < MIN_BOX_PX) return;
    if (data.dims.x) c.setRanges('x', c.scales('x'), (scale) => boxRange(scale, b.x0, b.x1));
    if (data.dims.y) c.setRanges('y', c.scales('y'), (scale) => boxRange(scale, b.y0, b.y1));
  },
};

const BoxSelect = {
  start(c, tool, press) {
    return { tool, x: press.x, y: press.y, dims: toolDimensions(tool), append: press.shift,
      // BokehJS 0.10's default: select when the button is released only.
      everyMove: tool.attributes.select_every_mousemove === true };
  },
  move(c, data, p) {
    const b = box(c, data, p);
    showBox(c, b);
    if (data.everyMove) this.select(c, data, b, false);
  },
  end(c, data, p) {
    c.showMarks();
    this.select(c, data, box(c, data, p), true);
  },
  select(c, data, b, final) {
    c.select(data.tool, (view) => hitRect(view, b.x0, b.x1, b.y0, b.y1), {
      final, append: data.append, geometry: { kind: 'rect', points: [[b.x0, b.y0], [b.x1, b.y1]] },
    });
  },
};

const Lasso = {
  start(c, tool, press) {
    return { tool, points: [[press.x, press.y]], append: press.shift,
      everyMove: tool.attributes.select_every_mousemove !== false };
  },
  move(c, data, p) {
    data.points.push([p.x, p.y]);
    c.showMarks([{ d: polygonPath(data.points, true), kind: 'band' }]);
    if (data.everyMove) this.select(c, data, false);
  },
  end(c, data, p) {
    data.points.push([p.x, p.y]);
    c.showMarks();
    this.select(c, data, true);
  },
  select(c, data, final) {
    const xs = data.points.map((q) => q[0]);
    const ys = data.points.map((q) => q[1]);
    c.select(data.tool, (view) => hitPolygon(view, xs, ys),
      { final, append: data.append, geometry: { kind: 'poly', points: data.points } });
  },
};

const Resize = {
  start(c, tool, press) {
    return { x: press.x, y: press.y, width: c.plot.width, height: c.plot.height };
  },
  move(c, data, p) {
    c.plot.resize({ width: data.width + p.x - data.x, height: data.height + p.y - data.y });
    c.page.requestRedraw();
  },
  end(c, data, p) {
    this.move(c, data, p);
  },
};

export const DRAG_TOOLS = {
  PanTool: Pan,
  BoxZoomTool: BoxZoom,
  BoxSelectTool: BoxSelect,
  LassoSelectTool: Lasso,
  ResizeTool: Resize,
};
