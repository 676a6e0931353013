// image_rgba.js - ImageRGBA: like Image, but each cell is already a packed
// RGBA uint32 whose bytes in little-endian memory order are R, G, B, A -
// the byte order of canvas ImageData, so cells are copied as they are.

import { drawImages, imageBounds } from './image.js';

function packedPixels(grid) {
  const pixels = new Uint32Array(grid.rows * grid.cols);
  // Row 0 of the data is the bottom row of the picture.
  for (let r = 0; r < grid.rows; r++) {
    const target = (grid.rows - 1 - r) * grid.cols;
    for (let c = 0; c < grid.cols; c++) pixels[target + c] = Number(grid.at(r, c)) >>> 0;
  }
  return pixels;
}

export default {
  xs: ['x'],
  ys: ['y'],
  distances: { dw: { dim: 'x', centered: false }, dh: { dim: 'y', centered: false } },
  numbers: { rows: undefined, cols: undefined },
  raw: { image: undefined },
  visuals: [],
  bounds: imageBounds,

  draw(ctx, g, indices) {
    drawImages(ctx, g, indices, (grid) => packedPixels(grid));
  },

  legend() {},
};
