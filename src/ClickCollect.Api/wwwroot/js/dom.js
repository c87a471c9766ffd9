// A tiny element builder. Text from the API always goes in as text, never as HTML.
import { bind, t } from './i18n.js';

// el('p', { className: 'note', i18n: 'key', args: { n: 2 } }, child, 'text', …)
export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  const p = props || {};
  Object.keys(p).forEach((name) => {
    const value = p[name];
    if (value === undefined || value === null || value === false) return;
    if (name === 'i18n' || name === 'args') return;
    if (name === 'className') node.className = value;
    else if (name === 'i18nAttrs') {
      node.setAttribute('data-i18n-attrs', JSON.stringify(value));
      Object.keys(value).forEach((attr) => node.setAttribute(attr, t(value[attr])));
    }
    else if (name.indexOf('on') === 0) node.addEventListener(name.slice(2).toLowerCase(), value);
    else node.setAttribute(name, value === true ? '' : value);
  });
  if (p.i18n) bind(node, p.i18n, p.args);
  append(node, children);
  return node;
}

export function append(node, children) {
  children.forEach((child) => {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) append(node, child);
    else node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  });
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// A labelled form field: <div class="field"><label for=id>…</label>[hint]<control></div>
export function field(id, labelKey, control, hintKey) {
  control.id = id;
  const hint = hintKey ? el('p', { className: 'hint', id: id + '-hint', i18n: hintKey }) : null;
  if (hint) control.setAttribute('aria-describedby', hint.id);
  return el('div', { className: 'field' }, el('label', { for: id, i18n: labelKey }), hint, control);
}
