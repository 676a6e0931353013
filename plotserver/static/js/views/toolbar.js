// toolbar.js - the row (or column) of tool buttons beside a plot, with the
// active state BokehJS 0.10 starts with (MODELS.md 4.14).  The buttons are
// shown and keep their active state when clicked; what each tool does to
// the plot comes with the interaction tools.

// Which gesture a tool competes for, and its BokehJS default_order: for each
// gesture the tool with the lowest order starts active.
const TOOLS = {
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
 * ("above", "below", "left", "right").  Tools of one type shown once
 * (a grid's toolbar drives the same tool of every child plot).
 */
export function buildToolbar(tools, location, { showLogo = true } = {}) {
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
    const info = TOOLS[tool.type] || { gesture: 'action', order: 99, title: tool.type };
    groups.get(info.gesture).push({ tool, info });
  }
  let first = true;
  for (const gesture of GROUP_ORDER) {
    // Buttons in the script's order; the active one is the lowest default_order.
    const entries = groups.get(gesture);
    if (!entries.length) continue;
    const lowest = Math.min(...entries.map((e) => e.info.order));
    if (!first) buttons.append(Object.assign(document.createElement('span'), { className: 'ps-tool-separator' }));
    first = false;
    entries.forEach(({ tool, info }) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'ps-tool';
      button.title = info.title;
      button.dataset.tool = tool.type;
      button.append(icon(tool.type));
      // One active tool per gesture, the lowest-ordered one to start with.
      const exclusive = gesture === 'drag' || gesture === 'scroll' || gesture === 'tap';
      if (exclusive && info.order === lowest) button.classList.add('ps-active');
      if (gesture === 'inspect') button.classList.add('ps-inspector');
      if (exclusive) {
        button.addEventListener('click', () => {
          for (const other of buttons.querySelectorAll(`.ps-tool`)) {
            if (TOOLS[other.dataset.tool] && TOOLS[other.dataset.tool].gesture === gesture) other.classList.remove('ps-active');
          }
          button.classList.add('ps-active');
        });
      } else if (gesture === 'inspect') {
        button.addEventListener('click', () => button.classList.toggle('ps-off'));
      } else if (tool.type === 'HelpTool') {
        const url = typeof tool.attributes.redirect === 'string' ? tool.attributes.redirect
          : 'https://pypi.org/project/plotserver/';
        button.addEventListener('click', () => window.open(url, '_blank', 'noopener'));
      }
      buttons.append(button);
    });
  }
  return bar;
}
