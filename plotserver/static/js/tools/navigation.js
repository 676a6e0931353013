// navigation.js - the range arithmetic of pan, zoom and box zoom.  Pure.
//
// Every gesture is worked out in screen pixels against the scale the plot
// was drawn with when the gesture began, and turned back into data through
// scale.invert.  That makes one formula right for linear, log and
// categorical (synthetic-coordinate) axes, and for flipped ranges: the data
// value at the frame edge `scale.from` is always the range's start.

/** Which dimensions a tool acts on: its `dimensions` ("width"/"x", "height"/"y"). */
export function toolDimensions(tool) {
  const dims = tool && Array.isArray(tool.attributes.dimensions) ? tool.attributes.dimensions : ['width', 'height'];
  return {
    x: dims.includes('width') || dims.includes('x'),
    y: dims.includes('height') || dims.includes('y'),
  };
}

/** The range shown after the picture moved by `d` px along the scale's axis. */
export function pannedRange(scale, d) {
  return { start: scale.invert(scale.from - d), end: scale.invert(scale.to - d) };
}

/**
 * The range shown after zooming by `factor` about the pixel `anchor`: the
 * screen interval shrinks by that fraction (0.1: 10 % closer; negative:
 * out), keeping the data under the anchor where it is.
 */
export function zoomedRange(scale, factor, anchor) {
  const from = scale.from + (anchor - scale.from) * factor;
  const to = scale.to - (scale.to - anchor) * factor;
  return { start: scale.invert(from), end: scale.invert(to) };
}

/** The range between screen pixels a and b (either order), start at the `from` side. */
export function boxRange(scale, a, b) {
  const ascending = scale.to >= scale.from;
  const near = ascending ? Math.min(a, b) : Math.max(a, b);
  const far = ascending ? Math.max(a, b) : Math.min(a, b);
  return { start: scale.invert(near), end: scale.invert(far) };
}

// BokehJS 0.10 zoomed by 1/600 of a wheel unit per unit, at most 90 % a step.
const WHEEL_SPEED = 1 / 600;
const MAX_STEP = 0.9;
const LINE_PX = 40; // deltaMode 1 (lines) and 2 (pages) in pixels
const PAGE_PX = 800;

/** Zoom factor of one wheel event (positive: in, when the wheel turns away from the user). */
export function wheelFactor(event) {
  const unit = event.deltaMode === 1 ? LINE_PX : event.deltaMode === 2 ? PAGE_PX : 1;
  const factor = -event.deltaY * unit * WHEEL_SPEED;
  return Math.max(-MAX_STEP, Math.min(MAX_STEP, factor));
}

/** A usable range: finite ends that differ (a zoom can underflow to nothing). */
export function usableRange({ start, end }) {
  return Number.isFinite(start) && Number.isFinite(end) && start !== end;
}
