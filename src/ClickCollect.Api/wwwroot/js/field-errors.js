// Ties a refused form's field errors to their fields (#19, RGAA 11.10): the RFC 9457 "errors" are keyed by
// the camelCase JSON name; each field named gets aria-invalid and its message just above it, joined by
// aria-describedby, so a screen reader says it on reaching the field. The form's summary (aria-live)
// still reads the whole refusal out at once.
import { el } from './dom.js';

export function clearFieldErrors(form) {
  form.querySelectorAll('.field-error').forEach((message) => message.remove());
  form.querySelectorAll('[aria-invalid]').forEach((input) => {
    input.removeAttribute('aria-invalid');
    const kept = (input.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && id !== input.id + '-error');
    if (kept.length) input.setAttribute('aria-describedby', kept.join(' '));
    else input.removeAttribute('aria-describedby');
  });
}

// fields: { jsonName: input }. Returns the first field marked (to take the focus), or null.
export function showFieldErrors(form, problem, fields) {
  const errors = (problem && problem.errors) || {};
  let first = null;
  Object.keys(errors).forEach((name) => {
    const input = fields[name];
    if (!input || !input.id) return;
    const message = el('p', { className: 'field-error', id: input.id + '-error' }, [].concat(errors[name]).join(' '));
    input.insertAdjacentElement('beforebegin', message);
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + message.id).trim());
    first = first || input;
  });
  return first;
}
