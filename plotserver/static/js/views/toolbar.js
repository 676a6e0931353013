// toolbar.js - the row (or column) of tool buttons beside a plot (or a
// GridPlot), showing and changing a ToolState (tools/state.js): one active
// tool per exclusive gesture, inspectors on or off, action buttons.

import { EXCLUSIVE_GESTURES, toolInfo } from '../tools/state.js';

const GROUP_ORDER = ['drag', 'scroll', 'tap', 'action', 'inspect', 'help'];

// Small line icons (24 x 24 view box), drawn for plotserver.
const ICONS = {
  PanTool: '<path d="M12 2v20M2 12h20M12 2l-3 3M12 2l3 3M12 22l-3-3M12 22l3-3M2 12l3-3M2 12l3 3M22 12l-3-3M22 12l-3 3"/>',
  WheelZoomTool: '<rect x="3" y="4" width="8" height="14" rx="4"/><path d="M7 7v3"/><circle cx="16.5" cy="9.5" r="4"/><path d="M19.5 12.5l3 3"/>',
  BoxZoomTool: '<rect x="3" y="3" width="18" height="18" stroke-dasharray="3 2"/><circle cx="11" cy="11" r="4"/><path d="M14 14l4 4"/>',
  BoxSelectTool: '<rect x="3" y="3" width="18" height="18" stroke-dasharray="3 2"/><path d="M10 9l8 4-4 1-1 4z"/>',
  LassoSelectTool: '<ellipse cx="12" cy="9" rx="9" ry="6" stroke-dasharray="3 2"/><path d="M8 14c-2 3 0 6 3 6"/>',
  PolySelectTool: '<path d="M4 18l3-14 13 4-4 12z" stroke-dasharray="3 2"/>',
  ResizeTool: '<path d="M4 4h6M4 4v6M20 20h-6M20 20v-6M4 4l16 16"/>',
  ResetTool: '<path d="M19 8a8 8 0 1 0 1 6"/><path d="M20 3v5h-5"/>',
  PreviewSaveTool: '<path d="M4 3h13l3 3v15H4z"/><rect x="8" y="3" width="7" height="6"/><rect x="7" y="14" width="10" height="7"/>',
  HoverTool: '<path d="M4 4h16v11h-9l-5 5v-5H4z"/>',
  CrosshairTool: '<circle cx="12" cy="12" r="7"/><path d="M12 2v6M12 16v6M2 12h6M16 12h6"/>',
  TapTool: '<circle cx="12" cy="9" r="5"/><path d="M12 9v13"/>',
  HelpTool: '<circle cx="12" cy="12" r="9"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.4-1 1-1 1.7v.5"/><circle cx="12" cy="17" r=".6"/>',
};

const SVG_NS = 'http://www.w3.org/2000/svg';

function icon(type) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '18');
  svg.setAttribute('height', '18');
  svg.setAttribute('aria-hidden', 'true');
  svg.innerHTML = ICONS[type] || '<circle cx="12" cy="12" r="6"/>';
  return svg;
}

/** plotserver's mark: four quarter discs in the plot palette. */
function logo() {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.classList.add('ps-logo');
  svg.innerHTML = '<path d="M10 10V1a9 9 0 0 1 9 9z" fill="#1f77b4"/><path d="M10 10h9a9 9 0 0 1-9 9z" fill="#ff7f0e"/>'
    + '<path d="M10 10v9a9 9 0 0 1-9-9z" fill="#2ca02c"/><path d="M10 10H1a9 9 0 0 1 9-9z" fill="#d62728"/>';
  return svg;
}

/**
 * The toolbar element for `tools` (PlotObjects) on side `location`
 * ("above", "below", "left", "right"), wired to `state` (a ToolState).
 * Tools of one type are shown once (a grid's toolbar drives the same tool
 * of every child plot).  `helpUrl`: where the help button leads when the
 * HelpTool names no `redirect` of its own.
 */
export function buildToolbar(tools, location, { state, showLogo = true, helpUrl = null } = {}) {
  const bar = document.createElement('div');
  const vertical = location === 'left' || location === 'right';
  bar.className = `ps-toolbar ps-toolbar-${vertical ? 'vertical' : 'horizontal'} ps-toolbar-${location}`;
  bar.setAttribute('role', 'toolbar');
  if (showLogo) bar.append(logo());
  const buttons = document.createElement('div');
  buttons.className = 'ps-tool-buttons';
  bar.append(buttons);

  const seen = new Set();
  const groups = new Map(GROUP_ORDER.map((g) => [g, []]));
  for (const tool of tools) {
    if (!tool || seen.has(tool.type)) continue;
    seen.add(tool.type);
    groups.get(toolInfo(tool.type).gesture).push(tool);
  }
  const shown = [];
  for (const gesture of GROUP_ORDER) {
    const entries = groups.get(gesture); // buttons in the script's order
    if (!entries.length) continue;
    if (shown.length) buttons.append(Object.assign(document.createElement('span'), { className: 'ps-tool-separator' }));
    for (const tool of entries) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'ps-tool';
      button.title = toolInfo(tool.type).title;
      button.dataset.tool = tool.type;
      button.append(icon(tool.type));
      if (gesture === 'inspect') button.classList.add('ps-inspector');
      if (EXCLUSIVE_GESTURES.includes(gesture) || gesture === 'inspect') {
        button.addEventListener('click', () => state.toggle(tool.type));
      } else if (gesture === 'help') {
        const redirect = tool.attributes.redirect;
        const url = typeof redirect === 'string' && redirect ? redirect : helpUrl;
        if (typeof tool.attributes.help_tooltip === 'string') button.title = tool.attributes.help_tooltip;
        button.addEventListener('click', () => {
          if (url) window.open(url, '_blank', 'noopener');
        });
      } else {
        button.addEventListener('click', () => state.trigger(tool.type));
      }
      buttons.append(button);
      shown.push(button);
    }
  }
  const show = () => {
    for (const button of shown) {
      const type = button.dataset.tool;
      const { gesture } = toolInfo(type);
      const exclusive = EXCLUSIVE_GESTURES.includes(gesture);
      if (!exclusive && gesture !== 'inspect') continue; // a plain button
      button.classList.toggle('ps-active', exclusive && state.isOn(type));
      button.classList.toggle('ps-off', gesture === 'inspect' && !state.isOn(type));
      button.setAttribute('aria-pressed', String(state.isOn(type)));
    }
  };
  show();
  const unlisten = state.listen((event) => {
    // A toolbar replaced by a rebuild stops listening at the next change.
    if (!bar.isConnected) unlisten();
    else if (event.kind === 'changed') show();
  });
  return bar;
}
