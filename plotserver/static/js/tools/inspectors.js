// inspectors.js - the hover tool's tooltip (MODELS.md 4.14 HoverTool):
// which items are under the cursor (mode "mouse"), or on the vertical or
// horizontal line through it ("vline", "hline"), and a box listing each
// one's values next to the item (point_policy "snap_to_data") or the
// cursor ("follow_mouse").

import { hitPoint, hitSpan, prepareIndex } from './hit_test.js';
import { toolRenderers } from './selection.js';
import { tooltipContent } from './tooltips.js';

const MAX_SHOWN = 5; // items listed in one tooltip; the rest are counted
const OFFSET = 12; // px between the anchor and the box

/** The value of data column `name` at `row`, as the tooltip shows it. */
function columnValue(source, name, row) {
  const data = source && source.attributes.data;
  const column = data && data[name];
  if (!column || typeof column !== 'object' || !(row < column.length)) return undefined;
  return column[row];
}

/**
 * Where item `row` of a hit is anchored and which row it reports, following
 * the tool's line_policy for lines ("prev", "next", "nearest", "interp",
 * "none"); null for the cursor itself.
 */
function anchorOf(view, hit, row, policy, p) {
  const g = view.glyph();
  if (hit.segment) {
    const { i, j, t } = hit.segment;
    const x = g.data.x; const y = g.data.y;
    const at = (k) => ({ row: k, sx: g.xscale.map(x[k]), sy: g.yscale.map(y[k]) });
    if (policy === 'next') return at(j);
    if (policy === 'nearest') return at(t < 0.5 ? i : j);
    if (policy === 'interp') {
      return { row: i, sx: g.xscale.map(x[i] + t * (x[j] - x[i])), sy: g.yscale.map(y[i] + t * (y[j] - y[i])) };
    }
    if (policy === 'none') return { row: i, sx: p.x, sy: p.y };
    return at(i);
  }
  if (g.s.x && g.s.y && row < g.s.x.length) return { row, sx: g.s.x[row], sy: g.s.y[row] };
  return { row, sx: p.x, sy: p.y };
}

export class Inspectors {
  constructor(plotView) {
    this.plot = plotView;
    this.box = plotView.tooltip;
    this.lastHits = [];
    this.lookupMs = NaN;
  }

  hide() {
    if (!this.box.hidden) this.box.hidden = true;
    this.lastHits = [];
  }

  /**
   * Build the renderers' hover indexes ahead of the first hover, when the
   * page has nothing else to do (a million points take ~150 ms).
   */
  prepare(tools) {
    if (this.idleHandle || !tools.length) return;
    this.idleHandle = requestIdleCallback(() => {
      this.idleHandle = 0;
      for (const tool of tools) for (const view of toolRenderers(this.plot, tool)) prepareIndex(view);
    });
  }

  /** Hit-test every hover tool's renderers at p and show one tooltip for all of them. */
  hover(p, tools) {
    this.lookupMs = 0; // the hit tests alone (the rest is the tooltip's text and DOM)
    const sections = [];
    let anchor = null;
    const hits = [];
    for (const tool of tools) {
      const attrs = tool.attributes;
      const mode = attrs.mode === 'vline' || attrs.mode === 'hline' ? attrs.mode : 'mouse';
      for (const view of toolRenderers(this.plot, tool)) {
        const g = view.glyph();
        const started = performance.now();
        const hit = mode === 'mouse' ? hitPoint(view, p.x, p.y)
          : hitSpan(view, mode === 'vline' ? 'x' : 'y', mode === 'vline' ? p.x : p.y);
        this.lookupMs += performance.now() - started;
        const rows = hit.rows;
        if (!rows.length) continue;
        const shown = rows.slice(0, MAX_SHOWN);
        for (const row of shown) {
          const at = anchorOf(view, hit, row, attrs.line_policy || 'prev', p);
          hits.push({ renderer: view.id, row: at.row });
          const vars = { index: at.row, x: g.xscale.invert(p.x), y: g.yscale.invert(p.y), sx: p.x, sy: p.y };
          const content = tooltipContent(attrs.tooltips, vars, (name) => columnValue(view.source, name, at.row));
          if (!content) continue;
          if (!anchor) {
            anchor = attrs.point_policy === 'follow_mouse' || attrs.point_policy === 'none'
              ? { sx: p.x, sy: p.y } : at;
          }
          sections.push(content);
        }
        if (rows.length > shown.length) sections.push({ more: rows.length - shown.length });
      }
    }
    this.lastHits = hits;
    if (!sections.length) {
      this.hide();
      return;
    }
    this.#show(sections, anchor || { sx: p.x, sy: p.y });
  }

  #show(sections, anchor) {
    // One string, set only when it changed: a mouse moving over one point
    // must not rebuild the box on every frame.
    const html = sections.map((section) => {
      if (section.more) return `<div class="ps-tooltip-more">… and ${section.more} more</div>`;
      if (section.html !== undefined) return `<div class="ps-tooltip-item">${section.html}</div>`;
      const rows = section.rows.map(([label, value]) => `<tr><th>${label}:</th><td>${value}</td></tr>`).join('');
      return `<div class="ps-tooltip-item"><table>${rows}</table></div>`;
    }).join('');
    const box = this.box;
    if (html !== this.html) {
      box.innerHTML = html; // labels and values are escaped; a template string is the document's own HTML
      this.html = html;
    }
    box.hidden = false;
    // Right of the anchor, or left of it on the right half of the plot, so
    // the box need not be measured (a layout per mouse move).
    const leftSide = anchor.sx > this.plot.width / 2;
    box.dataset.side = leftSide ? 'left' : 'right';
    box.style.left = leftSide ? '' : `${anchor.sx + OFFSET}px`;
    box.style.right = leftSide ? `${this.plot.width - anchor.sx + OFFSET}px` : '';
    box.style.top = `${anchor.sy}px`;
  }
}
