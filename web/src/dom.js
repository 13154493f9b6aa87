// Building the page from data without ever parsing data as HTML (no innerHTML).
export function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (key === 'class') element.className = value;
    else if (key === 'for') element.htmlFor = value;
    else if (key === 'value') element.value = value;
    else if (key === 'checked') element.checked = Boolean(value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(element, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function clear(element) {
  while (element.firstChild) element.firstChild.remove();
  return element;
}

let counter = 0;
export const uid = (prefix) => `${prefix}-${++counter}`;

// A labelled form field; `control` is an input, select or textarea. The error
// slot next to it shows the API's problem for this field.
export function field(label, control, { hint, name } = {}) {
  const id = control.id || uid('f');
  control.id = id;
  if (name) control.name = name;
  const error = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert' });
  control.setAttribute('aria-describedby', `${id}-error`);
  return h('div', { class: 'field', 'data-field': name || '' }, h('label', { for: id }, label), control,
    hint ? h('small', { class: 'hint' }, hint) : null, error);
}

export function table(columns, rows, { caption, empty = 'Aucune ligne.' } = {}) {
  const head = h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : '' }, c.label)));
  const body = rows.length
    ? rows.map((row) => h('tr', {}, columns.map((c) => h('td', { class: c.numeric ? 'num' : '' }, c.cell(row)))))
    : [h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, empty))];
  return scrolling(h('table', {}, caption ? h('caption', {}, caption) : null, h('thead', {}, head), h('tbody', {}, body)));
}

// A wide table scrolls sideways in its own box, never the page (a phone, a long allocation).
// While it is wider than its box, the box is a labelled region that takes the keyboard focus,
// so that the arrow keys scroll it; a table that fits adds no stop to the Tab order.
export function scrolling(tableElement, label) {
  const box = h('div', { class: 'table-scroll' }, tableElement);
  const name = () => label || tableElement.caption?.textContent ||
    box.closest('section, .card, figure, fieldset')?.querySelector('h1, h2, h3, figcaption, legend')?.textContent || 'tableau';
  const fit = () => {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
      box.setAttribute('role', 'region');
      box.setAttribute('aria-label', `${name()} (défilement horizontal)`);
    } else {
      box.removeAttribute('tabindex');
      box.removeAttribute('role');
      box.removeAttribute('aria-label');
    }
  };
  const observer = new ResizeObserver(fit);
  observer.observe(box);
  observer.observe(tableElement);
  return box;
}

export function button(label, onclick, attrs = {}) {
  return h('button', { type: 'button', onclick, ...attrs }, label);
}
