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
//
// The browser's own checks (required, min, max, type=email…) go the same way, on every form of both apps
// (tieNativeValidation, called once by patron.js and staff.js): its bubble is not reliably read out,
// vanishes after a few seconds, cannot be zoomed and speaks the browser's language, not the page's.
import { ApiError, problemMessage } from './api.js';
import { append, clear, el } from './dom.js';

let generated = 0;

export function clearFieldErrors(form) {
  form.querySelectorAll('.field-error, .field-summary').forEach((message) => {
    const box = message.parentElement;
    message.remove();
    if (box && box.classList.contains('form-error') && !box.textContent.trim()) box.classList.remove('shown');
  });
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

// Marks the controls of `nodes` (controls or fieldsets) invalid, with `message` (a text, or { i18n: key, args })
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
      : el('p', { className: 'field-error', id: id, i18n: message.i18n, args: message.args });
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

// The browser's constraint validation, taken over (see the top of this file): every control a submission
// finds invalid fires 'invalid' (in the form's order, in one task, and no 'submit' follows); each is marked
// with a message of ours, the form's live region (its .form-error box, or one made for it) says the form
// was not sent and how many fields need correcting, and the first takes the focus. A submission that passes
// the browser's checks clears what the last one marked before the form's own handler runs.
export function tieNativeValidation(root) {
  const passes = new Map(); // form → what the submission under way refused: { first control, messages }
  root.addEventListener('invalid', (event) => {
    const control = event.target;
    const form = control.form;
    if (!form) return;
    event.preventDefault(); // no bubble: our message goes beside the field
    let pass = passes.get(form);
    if (!pass) {
      pass = { first: null, messages: [] };
      passes.set(form, pass);
      clearFieldErrors(form);
      // The next task, not a microtask: microtasks run between two 'invalid' events when the user clicked.
      setTimeout(() => {
        passes.delete(form);
        summarise(form, pass.messages);
        if (pass.first) pass.first.focus();
      }, 0);
    }
    if (control.getAttribute('aria-invalid') === 'true') return; // a radio button of a group already marked
    const group = control.type === 'radio' && control.closest('fieldset');
    const message = nativeMessage(control);
    const marked = mark([group || control], message);
    if (!marked) return;
    pass.first = pass.first || marked;
    pass.messages.push({ name: nameOf(group || control), message: message });
  }, true);
  root.addEventListener('submit', (event) => {
    if (event.target.tagName === 'FORM') clearFieldErrors(event.target);
  }, true);
}

// The form's live region says it was not sent and lists what to correct (the fields say it too).
function summarise(form, messages) {
  if (!messages.length) return;
  let box = Array.from(form.querySelectorAll('.form-error')).find((b) => b.matches('[aria-live], [role=alert]'));
  if (!box) {
    box = el('div', { className: 'form-error field-summary', role: 'alert' });
    const submit = form.querySelector('[type=submit]');
    if (submit && submit.parentElement === form) form.insertBefore(box, submit);
    else form.appendChild(box);
  }
  clear(box);
  append(box, [el('strong', { className: 'field-summary', i18n: 'field.notSent', args: { n: messages.length } }),
    el('ul', { className: 'field-summary' }, messages.map((m) => el('li', {}, m.name, m.name ? ' — ' : null,
      el('span', { i18n: m.message.i18n, args: m.message.args }))))]);
  box.classList.add('shown');
}

// The field's name for the summary: its label or legend (still translated when the language changes), or
// its aria-label (a control in a table row).
function nameOf(node) {
  const source = node.tagName === 'FIELDSET' ? node.querySelector('legend') : node.labels && node.labels[0];
  if (source && source.getAttribute('data-i18n')) {
    const args = source.getAttribute('data-i18n-args');
    return el('span', { i18n: source.getAttribute('data-i18n'), args: args ? JSON.parse(args) : undefined });
  }
  const text = source ? source.textContent : node.getAttribute('aria-label');
  return text ? text.trim() : null;
}

// What the browser found, in the page's language ({ i18n, args } for mark).
function nativeMessage(control) {
  const v = control.validity;
  const day = control.type === 'date';
  const bound = (value) => (day ? { day: value } : control.type === 'number' || control.type === 'range' ? Number(value) : value);
  if (v.valueMissing) {
    if (control.type === 'checkbox') return { i18n: 'field.missingBox' };
    if (control.type === 'radio' || control.tagName === 'SELECT') return { i18n: 'field.missingChoice' };
    if (control.type === 'file') return { i18n: 'field.missingFile' };
    return { i18n: 'field.missing' };
  }
  if (v.typeMismatch) return { i18n: control.type === 'email' ? 'field.email' : 'field.invalid' };
  if (v.rangeUnderflow) return { i18n: day ? 'field.minDay' : 'field.min', args: { min: bound(control.min) } };
  if (v.rangeOverflow) return { i18n: day ? 'field.maxDay' : 'field.max', args: { max: bound(control.max) } };
  if (v.tooShort) return { i18n: 'field.tooShort', args: { n: control.minLength } };
  if (v.tooLong) return { i18n: 'field.tooLong', args: { n: control.maxLength } };
  if (v.stepMismatch) return { i18n: 'field.step', args: { step: bound(control.step) } };
  if (v.patternMismatch) return { i18n: 'field.pattern' };
  return { i18n: 'field.invalid' };
}
