// widgets.js - widgets shown as the HTML controls they stand for
// (MODELS.md 4.16).  They show the model's current state; changing them
// does not write back yet (that comes with apps and server callbacks), so
// every control is marked with the class ps-widget-inert.

import { isList } from '../document.js';
import { el } from '../dom.js';

const text = (value, fallback = '') => (value === null || value === undefined ? fallback : String(value));

function titled(a, control) {
  const box = el('div', 'ps-widget-field');
  if (a.title) box.append(el('label', 'ps-widget-title', text(a.title)));
  box.append(control);
  return box;
}

function optionOf(option) {
  // A plain string, or {name/label: shown, value: sent}; BokehJS 0.10 also
  // accepted [value, label] pairs.
  if (Array.isArray(option)) return { value: text(option[0]), label: text(option[1] ?? option[0]) };
  if (option && typeof option === 'object') {
    return { value: text(option.value), label: text(option.name ?? option.label ?? option.value) };
  }
  return { value: text(option), label: text(option) };
}

function select(a, multiple) {
  const control = el('select', 'ps-input');
  control.multiple = multiple;
  const chosen = new Set(multiple ? (Array.isArray(a.value) ? a.value.map(String) : []) : [text(a.value)]);
  for (const option of Array.isArray(a.options) ? a.options : []) {
    const { value, label } = optionOf(option);
    const node = el('option', null, label);
    node.value = value;
    node.selected = chosen.has(value);
    control.append(node);
  }
  return titled(a, control);
}

function button(label, type, active) {
  const node = el('button', `ps-button ps-button-${type || 'default'}${active ? ' ps-active' : ''}`, label);
  node.type = 'button';
  return node;
}

function choices(a, kind) {
  const box = el('div', `ps-choices${a.inline ? ' ps-inline' : ''}`);
  const active = new Set(Array.isArray(a.active) ? a.active : [a.active]);
  (Array.isArray(a.labels) ? a.labels : []).forEach((label, i) => {
    const input = el('input');
    input.type = kind;
    input.checked = active.has(i);
    box.append(el('label', 'ps-choice', input, ` ${text(label)}`));
  });
  return box;
}

function buttonGroup(a) {
  const box = el('div', 'ps-button-group');
  const active = new Set(Array.isArray(a.active) ? a.active : [a.active]);
  (Array.isArray(a.labels) ? a.labels : []).forEach((label, i) => {
    box.append(button(text(label), a.type, active.has(i)));
  });
  return box;
}

function dataTable(model) {
  const a = model.attributes;
  const columns = (model.get('columns') || []).filter(Boolean);
  const source = model.get('source');
  const data = (source && source.attributes.data) || {};
  const table = el('table', 'ps-data-table');
  const head = el('tr');
  for (const column of columns) head.append(el('th', null, text(column.attributes.title, column.attributes.field)));
  table.append(el('thead', null, head));
  const body = el('tbody');
  const fields = columns.map((c) => c.attributes.field);
  const rows = Math.min(100, ...fields.map((f) => (isList(data[f]) ? data[f].length : 0)));
  for (let i = 0; i < (Number.isFinite(rows) ? rows : 0); i++) {
    const row = el('tr');
    columns.forEach((column, j) => {
      let value = data[fields[j]][i];
      const formatter = column.get('formatter');
      if (formatter && formatter.type === 'NumberFormatter' && typeof value === 'number') {
        // Numeral-style "0,0.00" patterns: the number of decimals is what shows.
        const format = text(formatter.attributes.format, '0,0');
        const decimals = (format.split('.')[1] || '').replace(/[^0]/g, '').length;
        value = value.toFixed(decimals);
      }
      row.append(el('td', null, text(value)));
    });
    body.append(row);
  }
  table.append(body);
  if (typeof a.width === 'number') table.style.width = `${a.width}px`;
  return table;
}

/** The element for widget `model`, or null when `model` is not a widget we know. */
export function widgetElement(model, renderChild) {
  const a = model.attributes;
  let node;
  switch (model.type) {
    case 'Slider': {
      const input = el('input', 'ps-slider-input');
      input.type = 'range';
      input.min = text(a.start, '0');
      input.max = text(a.end, '1');
      input.step = a.step ? text(a.step) : 'any';
      input.value = text(a.value, '0.5');
      const label = el('label', 'ps-widget-title', `${text(a.title)}: `, el('span', 'ps-slider-value', text(a.value, '0.5')));
      node = el('div', 'ps-widget-field ps-slider', label, input);
      break;
    }
    case 'TextInput':
    case 'AutocompleteInput': {
      const input = el('input', 'ps-input');
      input.type = 'text';
      input.value = text(a.value);
      node = titled(a, input);
      break;
    }
    case 'Select': node = select(a, false); break;
    case 'MultiSelect': node = select(a, true); break;
    case 'Button': node = button(text(a.label, 'Button'), a.type, false); break;
    case 'Toggle': node = button(text(a.label, 'Toggle'), a.type, a.active === true); break;
    case 'Dropdown': node = button(`${text(a.label, 'Dropdown')} \u25BE`, a.type, false); break;
    case 'CheckboxGroup': node = choices(a, 'checkbox'); break;
    case 'RadioGroup': node = choices(a, 'radio'); break;
    case 'CheckboxButtonGroup':
    case 'RadioButtonGroup': node = buttonGroup(a); break;
    case 'Paragraph': node = el('p', 'ps-paragraph', text(a.text)); break;
    case 'PreText': {
      // BokehJS sized a PreText 500 x 400 unless told otherwise.
      node = el('pre', 'ps-pretext', text(a.text));
      node.style.width = `${typeof a.width === 'number' ? a.width : 500}px`;
      node.style.height = `${typeof a.height === 'number' ? a.height : 400}px`;
      break;
    }
    case 'DataTable': node = dataTable(model); break;
    case 'Tabs': {
      const tabs = (model.get('tabs') || []).filter(Boolean);
      const active = typeof a.active === 'number' ? a.active : 0;
      const header = el('div', 'ps-tabs-header', ...tabs.map((panel, i) => el(
        'span', `ps-tab${i === active ? ' ps-active' : ''}`, text(panel.attributes.title, `Tab ${i + 1}`))));
      const panel = tabs[active];
      const child = panel ? panel.get('child') : null;
      node = el('div', 'ps-tabs', header, child ? renderChild(child) : null);
      break;
    }
    default:
      return null;
  }
  if (a.disabled === true) node.classList.add('ps-disabled');
  if (typeof a.width === 'number' && model.type !== 'DataTable') node.style.width = `${a.width}px`;
  node.classList.add('ps-widget', 'ps-widget-inert');
  node.dataset.objid = model.id;
  node.dataset.type = model.type;
  return node;
}
