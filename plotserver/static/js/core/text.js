// text.js - text measured once per string and font.
//
// BokehJS 0.10 had no font ascent from canvas text metrics, so wherever it
// needed a text height it used 1.6 x the width of "m" in that font
// (MODELS.md 5.2).  Panel sizes follow that rule to come out as the
// original's.

const widths = new Map(); // font -> Map(text -> width)
const MAX_PER_FONT = 5000; // tick labels of a streaming datetime axis keep changing

export function textWidth(ctx, font, text) {
  let perFont = widths.get(font);
  if (!perFont) {
    perFont = new Map();
    widths.set(font, perFont);
  }
  let width = perFont.get(text);
  if (width === undefined) {
    if (perFont.size >= MAX_PER_FONT) perFont.clear();
    ctx.font = font;
    width = ctx.measureText(text).width;
    perFont.set(text, width);
  }
  return width;
}

export function textAscent(ctx, font) {
  return 1.6 * textWidth(ctx, font, 'm');
}
