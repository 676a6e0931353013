// image_rgba.js - ImageRGBA: like Image, but each cell is already a packed
// RGBA uint32 whose bytes in little-endian memory order are R, G, B, A -
// the byte order of canvas ImageData, so cells are copied as they are.

import { IMAGE_FIELDS, drawImages, gridPixels } from './image.js';

export default {
  ...IMAGE_FIELDS,

  draw(ctx, g, indices) {
    drawImages(ctx, g, indices, (grid) => gridPixels(grid, (cell) => Number(cell) >>> 0));
  },
};
