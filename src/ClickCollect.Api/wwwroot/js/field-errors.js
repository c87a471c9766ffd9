// Ties a refused form's field errors to their fields (#19, RGAA 11.10, WCAG 3.3.1): the RFC 9457 "errors"
// are keyed by the camelCase JSON path ("phone", "windows[0].capacity"); each field named gets
// aria-invalid and its message just above it, joined by aria-describedby, so a screen reader says it on
// reaching the field. The form's summary (an aria-live region) still reads the whole refusal out at once.
//
// Which control is which field: the map the form passes ({ jsonPath: control }), else a control of the
// form carrying data-field="jsonPath" or name="jsonPath". A domain refusal with no "errors" but a code
// the map knows ({ sign_in_failed: [card, pin] }) is tied the same way, with its detail as the message;
// '*' names the control any such refusal is about (a barcode field: whatever is refused is that barcode).
// A fieldset stands for its whole group of radio buttons or boxes: the message goes under its legend.
import { ApiError, problemMessage } from './api.js';
import { append, clear, el } from './dom.js';

let generated = 0;

export function clearFieldErrors(form) {
  form.querySelectorAll('.field-error').forEach((message) => message.remove());
  form.querySelectorAll('[aria-invalid]').forEach((input) => {
    input.removeAttribute('aria-invalid');
    const kept = (input.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && !/-error$/.test(id));
    if (kept.length) input.setAttribute('aria-describedby', kept.join(' '));
    else input.removeAttribute('aria-describedby');
  });
}

// The controls a JSON path names; "branchIds[2]" or "policies[0].loanDays" falls back to the list's own
// control ("branchIds", "policies") when the form has none for the item.
function lookup(form, fields, name) {
  const given = fields && fields[name];
  if (given) return [].concat(given).filter(Boolean);
  const escaped = window.CSS && CSS.escape ? CSS.escape(name) : name.replace(/["\\]/g, '\\$&');
  const found = form.querySelector('[data-field="' + escaped + '"]') || form.querySelector('[name="' + escaped + '"]');
  if (found) return [found];
  const list = name.replace(/\[\d+\].*$/, '');
  return list !== name ? lookup(form, fields, list) : [];
}

// A control stands for itself; a fieldset or a box of choices for the controls in it.
function controlsOf(node) {
  return /^(INPUT|SELECT|TEXTAREA)$/.test(node.tagName) ? [node] : Array.from(node.querySelectorAll('input, select, textarea'));
}

// Marks the controls of `nodes` (controls or fieldsets) invalid, with `message` (a text, or { i18n: key })
// just above the first, or under a fieldset's legend. Returns the first control, or null.
function mark(nodes, message) {
  const controls = [].concat(...nodes.map(controlsOf)).filter((c) => !c.disabled);
  if (!controls.length) return null;
  const anchor = nodes[0];
  if (!anchor.id) anchor.id = 'field-' + (++generated);
  const id = anchor.id + '-error';
  const existing = document.getElementById(id);
  if (existing && typeof message === 'string') {
    existing.appendChild(document.createTextNode(' ' + message)); // two paths on one control: "genres" and "genres[3]"
  } else if (!existing) {
    const node = typeof message === 'string' ? el('p', { className: 'field-error', id: id }, message)
      : el('p', { className: 'field-error', id: id, i18n: message.i18n });
    const legend = anchor.tagName === 'FIELDSET' ? anchor.querySelector('legend') : null;
    if (legend) legend.insertAdjacentElement('afterend', node);
    else anchor.insertAdjacentElement('beforebegin', node);
  }
  controls.forEach((control) => {
    control.setAttribute('aria-invalid', 'true');
    const ids = (control.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== id);
    control.setAttribute('aria-describedby', ids.concat(id).join(' '));
  });
  return controls[0];
}

// fields: { jsonPath or problem code: control, fieldset or [controls] }. Returns the first control marked
// (to take the focus), or null.
export function showFieldErrors(form, problem, fields) {
  const p = problem || {};
  const named = Object.assign({}, p.errors || {});
  const own = fields && p.code && (fields[p.code] ? p.code : fields['*'] ? '*' : null);
  if (!Object.keys(named).length && own) named[own] = [p.detail || p.title];
  let first = null;
  Object.keys(named).forEach((name) => {
    const nodes = lookup(form, fields, name);
    if (!nodes.length) return;
    const marked = mark(nodes, [].concat(named[name]).join(' '));
    first = first || marked;
  });
  return first;
}

// A refused submission, on any form: the whole refusal in the form's live region `box` (its summary,
// read out at once), each field it names marked and described, and the focus on the first of them.
// Returns that field, or null when the refusal names none (the summary alone then says it).
export function refuse(form, box, failure, fields) {
  clearFieldErrors(form);
  clear(box);
  append(box, problemMessage(failure));
  box.classList.add('shown');
  const first = failure instanceof ApiError ? showFieldErrors(form, failure.problem, fields) : null;
  if (first) first.focus();
  return first;
}

// A refusal the page finds itself before asking the server (nothing chosen): the message `key` in the
// summary and on the field (a control or a fieldset), which takes the focus.
export function refuseHere(form, box, field, key) {
  clearFieldErrors(form);
  clear(box);
  box.appendChild(el('strong', { i18n: key }));
  box.classList.add('shown');
  const first = field ? mark([field], { i18n: key }) : null;
  if (first) first.focus();
  return first;
}
