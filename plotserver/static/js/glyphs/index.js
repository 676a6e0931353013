// index.js - glyph type name -> glyph module (each file says how that glyph
// is drawn).

import annularWedge from './annular_wedge.js';
import annulus from './annulus.js';
import arc from './arc.js';
import bezier from './bezier.js';
import circle from './circle.js';
import image from './image.js';
import imageRGBA from './image_rgba.js';
import imageURL from './image_url.js';
import line from './line.js';
import { MARKERS } from './markers.js';
import multiLine from './multi_line.js';
import oval from './oval.js';
import patch from './patch.js';
import patches from './patches.js';
import quad from './quad.js';
import quadratic from './quadratic.js';
import ray from './ray.js';
import rect from './rect.js';
import segment from './segment.js';
import text from './text.js';
import wedge from './wedge.js';

export const GLYPHS = {
  AnnularWedge: annularWedge,
  Annulus: annulus,
  Arc: arc,
  Bezier: bezier,
  Circle: circle,
  Image: image,
  ImageRGBA: imageRGBA,
  ImageURL: imageURL,
  Line: line,
  MultiLine: multiLine,
  Oval: oval,
  Patch: patch,
  Patches: patches,
  Quad: quad,
  Quadratic: quadratic,
  Ray: ray,
  Rect: rect,
  Segment: segment,
  Text: text,
  Wedge: wedge,
  ...MARKERS,
};
