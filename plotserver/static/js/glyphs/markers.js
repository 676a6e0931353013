// markers.js - the marker glyphs: Asterisk, CircleCross, CircleX, Cross,
// Diamond, DiamondCross, InvertedTriangle, Square, SquareCross, SquareX,
// Triangle, X (Circle has its own file).  Each is drawn at (x, y) with
// `size` in screen px, rotated by `angle` (radians, counter-clockwise as
// seen).  Shapes follow MODELS.md 5.6.  A marker is traced as one path
// (outline plus any inner strokes), filled, then stroked; lines have no
// area, so the fill only paints the closed part.

import { uniformValue } from '../core/raster.js';
import { drawShapes, finite } from './common.js';

const SQRT3 = Math.sqrt(3);
const DIAGONAL = Math.SQRT1_2;

// Each shape traces itself around (0, 0) with half-size r through `pt`,
// which places a local point (rotated and translated) onto the path.
const SHAPES = {
  Asterisk(pt, r) {
    cross(pt, r);
    const d = 0.65 * r * DIAGONAL;
    pt.move(-d, -d); pt.line(d, d);
    pt.move(-d, d); pt.line(d, -d);
  },
  CircleCross(pt, r) {
    pt.circle(r);
    cross(pt, r);
  },
  CircleX(pt, r) {
    pt.circle(r);
    x(pt, r * DIAGONAL);
  },
  Cross(pt, r) {
    cross(pt, r);
  },
  Diamond(pt, r) {
    diamond(pt, r);
  },
  DiamondCross(pt, r) {
    diamond(pt, r);
    pt.move(0, -r); pt.line(0, r);
    pt.move(-r / 1.5, 0); pt.line(r / 1.5, 0);
  },
  InvertedTriangle(pt, r) {
    triangle(pt, r, -1);
  },
  Square(pt, r) {
    square(pt, r);
  },
  SquareCross(pt, r) {
    square(pt, r);
    cross(pt, r);
  },
  SquareX(pt, r) {
    square(pt, r);
    x(pt, r);
  },
  Triangle(pt, r) {
    triangle(pt, r, 1);
  },
  X(pt, r) {
    x(pt, r * DIAGONAL);
  },
};

function cross(pt, r) {
  pt.move(0, -r); pt.line(0, r);
  pt.move(-r, 0); pt.line(r, 0);
}

/** An "x" whose arms end at (+-d, +-d). */
function x(pt, d) {
  pt.move(-d, -d); pt.line(d, d);
  pt.move(-d, d); pt.line(d, -d);
}

function square(pt, r) {
  pt.move(-r, -r); pt.line(r, -r); pt.line(r, r); pt.line(-r, r); pt.close();
}

/** Rhombus of height 2r and width 2r / 1.5. */
function diamond(pt, r) {
  const w = r / 1.5;
  pt.move(0, -r); pt.line(w, 0); pt.line(0, r); pt.line(-w, 0); pt.close();
}

/** Equilateral triangle of side 2r with its centroid at the origin; up = 1 apex up. */
function triangle(pt, r, up) {
  const h = r * SQRT3; // height of a triangle of side 2r
  const apex = (-2 * h / 3) * up;
  const base = (h / 3) * up;
  pt.move(0, apex); pt.line(r, base); pt.line(-r, base); pt.close();
}

/** A pen that rotates and translates local points onto the context's path. */
function pen(ctx) {
  const p = {
    cx: 0, cy: 0, cos: 1, sin: 0,
    at(cx, cy, angle) {
      p.cx = cx; p.cy = cy;
      p.cos = angle ? Math.cos(angle) : 1;
      p.sin = angle ? Math.sin(angle) : 0;
    },
    move(lx, ly) { ctx.moveTo(p.cx + p.cos * lx - p.sin * ly, p.cy + p.sin * lx + p.cos * ly); },
    line(lx, ly) { ctx.lineTo(p.cx + p.cos * lx - p.sin * ly, p.cy + p.sin * lx + p.cos * ly); },
    close() { ctx.closePath(); },
    circle(r) {
      ctx.moveTo(p.cx + r, p.cy);
      ctx.arc(p.cx, p.cy, r, 0, 2 * Math.PI, false);
    },
  };
  return p;
}

/**
 * The marker every item shares when all have one size and angle, for the
 * raster path; null when they differ.  Its extent is the farthest any
 * shape reaches from its centre: a square's corner at sqrt(2) r.
 */
function rasterMarker(name, shape, g) {
  const size = uniformValue(g.num.size);
  const angle = uniformValue(g.angles.angle);
  if (!(size >= 0) || !Number.isFinite(angle)) return null;
  return {
    key: `${name} ${size} ${angle}`,
    extent: (size / 2) * Math.SQRT2,
    trace(c, cx, cy) {
      const p = pen(c);
      p.at(cx, cy, angle);
      shape(p, size / 2);
    },
  };
}

function markerGlyph(name, shape) {
  return {
    xs: ['x'],
    ys: ['y'],
    numbers: { size: 4 },
    angles: { angle: 0 },
    angleUnits: false, // marker angles are plain radians (MODELS.md 4.7)
    visuals: ['line', 'fill'],
    pairs: [['x', 'y']],

    draw(ctx, g, indices) {
      const { size } = g.num;
      const { angle } = g.angles;
      const p = pen(ctx);
      let sx;
      let sy;
      drawShapes(ctx, g, indices, (c, i) => {
        // Screen coordinates only when drawn as vectors (the raster bins the data).
        if (sx === undefined) ({ x: sx, y: sy } = g.s);
        if (!finite(sx[i], sy[i], size[i], angle[i])) return false;
        p.at(sx[i], sy[i], angle[i]);
        shape(p, size[i] / 2);
        return true;
      }, () => rasterMarker(name, shape, g));
    },

    legend(ctx, g, { x0, y0, x1, y1 }) {
      // One upright marker in the middle of the sample box, sized to the box
      // (as the original's legends show it), not to the data's size.
      const size = 0.4 * Math.min(x1 - x0, y1 - y0);
      const p = pen(ctx);
      drawShapes(ctx, g, [0], () => {
        p.at((x0 + x1) / 2, (y0 + y1) / 2, 0);
        shape(p, size / 2);
        return true;
      });
    },
  };
}

export const MARKERS = Object.fromEntries(
  Object.entries(SHAPES).map(([name, shape]) => [name, markerGlyph(name, shape)]));
