// Small form pieces shared by the director's network pages (network.js, stops.js, policies.js).
import { problemMessage } from '../js/api.js';
import { append, clear, el } from '../js/dom.js';
import { clearFieldErrors, refuse } from '../js/field-errors.js';
import { t } from '../js/i18n.js';

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

export function input(type, value, extra) {
  return el('input', Object.assign({ type: type, value: value == null ? '' : String(value) }, extra || {}));
}

export function weekdaySelect(value) {
  return el('select', {}, WEEKDAYS.map((d) => el('option', { value: String(d), selected: d === value, i18n: 'net.weekday.' + d })));
}

export function hhmm(time) {
  return time ? time.slice(0, 5) : '';
}

// Shows a saved message (a string key) or the API's problem (an error) in a live region. Given the form,
// a problem is also tied to the fields it names (#19, RGAA 11.10): fields { jsonPath: control }, else the
// controls' data-field (see rowFields).
export function status(node, keyOrError, form, fields) {
  clear(node);
  if (form) clearFieldErrors(form);
  if (typeof keyOrError === 'string') {
    node.appendChild(el('p', { className: 'notice', role: 'status', i18n: keyOrError }));
    return;
  }
  const box = node.appendChild(el('div', { className: 'form-error', role: 'alert' }));
  if (form) refuse(form, box, keyOrError, fields);
  else append(box, problemMessage(keyOrError));
}

// Names each control of an editable table by its JSON path ("windows[2].capacity"), in row order, for a
// refusal to find it: props are the properties of one row's controls, in order.
export function rowFields(tbody, list, props) {
  Array.prototype.forEach.call(tbody.children, (tr, i) => tr.querySelectorAll('select, input').forEach((c, k) => {
    if (props[k]) c.setAttribute('data-field', list + '[' + i + '].' + props[k]);
  }));
}

// Labels each control of a table row with its column header, for screen readers, and names its cell by
// the column too, shown before the control when a narrow screen stacks the table (#19).
export function labelRow(tr, keys, suffix) {
  tr.querySelectorAll('select, input').forEach((c, i) => {
    c.setAttribute('aria-label', t(keys[i]) + (suffix ? ' — ' + suffix : ''));
    if (c.parentElement.tagName === 'TD') c.parentElement.setAttribute('data-label', t(keys[i]));
  });
  tr.querySelectorAll('td:not([data-label])').forEach((td) => td.setAttribute('data-label', t('net.action'))); // the row's buttons
}

// A table with a caption and column headers; rows go in the returned tbody.
export function editTable(captionKey, columnKeys, body) {
  return el('div', { className: 'table-wrap' }, el('table', {}, el('caption', { i18n: captionKey }),
    el('thead', {}, el('tr', {}, columnKeys.map((k) => el('th', { scope: 'col', i18n: k })))), body));
}

// A collapsed editor: <details><summary>label</summary>content</details>.
export function editor(summaryKey, args, ...content) {
  return el('details', { className: 'editor' }, el('summary', { i18n: summaryKey, args: args }), ...content);
}
