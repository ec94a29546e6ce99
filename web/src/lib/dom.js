// A tiny element builder: every text goes through textContent, never
// innerHTML, because records carry text written by outside parties.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// Replaces the children of `el`; null, undefined and false are left out,
// so `cond && node` reads naturally.
export function fill(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

export function errorBox(error) {
  return h('div', { class: 'error', role: 'alert' }, error.message ?? String(error));
}

export function loading(text = '加载中…') {
  return h('p', { class: 'loading' }, text);
}

// A table: columns [{title, cell(row) -> node|text, className}].
export function table(columns, rows, { testid, rowAttrs } = {}) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': testid },
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.className }, c.title)))),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h('tr', rowAttrs ? rowAttrs(row) : {}, columns.map((c) => h('td', { class: c.className }, c.cell(row)))),
        ),
      ),
    ),
  );
}
