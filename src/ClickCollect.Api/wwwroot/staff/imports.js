// Imports in the pages (issue 11): the catalogue (CSV, MARC 21, UNIMARC, MARCXML) and current loans
// (CSV) from the library system, with the upload's progress and the report: read, created, updated,
// rejected with line and reason. A refused file imports nothing.
//   POST /api/catalogue/imports?format=… · POST /api/loans/import (the file as the body)
import { append, clear, el, field } from '../js/dom.js';
import { clearFieldErrors, showFieldErrors } from '../js/field-errors.js';
import { t } from '../js/i18n.js';
import '../js/network-strings.js';

// XMLHttpRequest rather than fetch(): only it reports the upload's progress.
function upload(url, file, type, progress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', type);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) progress(e.loaded / e.total); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      resolve({ status: xhr.status, body: body });
    };
    xhr.onerror = () => resolve({ status: 0, body: null });
    xhr.send(file);
  });
}

function report(answer) {
  const b = answer.body || {};
  if (answer.status >= 200 && answer.status < 300) {
    const rows = Object.keys(b).filter((k) => typeof b[k] === 'number').map((k) => el('tr', {}, el('th', { scope: 'row', i18n: 'imp.count.' + k, args: { fallback: k } }), el('td', {}, String(b[k]))));
    return el('div', { className: 'import-report', role: 'status' }, el('p', { className: 'notice', i18n: 'imp.done' }),
      el('table', {}, el('caption', { i18n: 'imp.report' }), el('tbody', {}, rows)));
  }
  const rejected = b.rejected || [];
  return el('div', { className: 'form-error import-report', role: 'alert' },
    el('p', {}, (b.title || t('imp.failed')) + (b.detail ? ' — ' + b.detail : '')),
    rejected.length ? el('table', {}, el('caption', { i18n: 'imp.rejected' }),
      el('thead', {}, el('tr', {}, ['imp.line', 'imp.field', 'imp.reason'].map((k) => el('th', { scope: 'col', i18n: k })))),
      el('tbody', {}, rejected.slice(0, 200).map((r) => el('tr', {}, el('td', {}, String(r.line)), el('td', {}, r.field), el('td', {}, r.reason))))) : null);
}

function importForm(id, titleKey, formats, endpoint) {
  const file = el('input', { type: 'file', id: id + '-file', required: true });
  const format = formats.length > 1 ? el('select', { id: id + '-format' }, formats.map((f) => el('option', { value: f }, f))) : null;
  const bar = el('progress', { max: '1', value: '0', hidden: true, 'aria-label': t('imp.progress') });
  const out = el('div', { 'aria-live': 'polite' });
  const button = el('button', { type: 'submit', className: 'primary', i18n: 'imp.send' });
  const form = el('form', { className: 'import-form' }, el('h2', { i18n: titleKey }),
    field(file.id, 'imp.file', file), format ? field(format.id, 'imp.format', format) : null, button, bar, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    if (!file.files.length) return;
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    clear(out).appendChild(el('p', { role: 'status', i18n: 'imp.sending' }));
    const chosen = format ? format.value : formats[0];
    const type = chosen === 'marcxml' ? 'application/xml' : chosen === 'csv' ? 'text/csv' : 'application/marc';
    const answer = await upload(endpoint(chosen), file.files[0], type, (p) => { bar.value = p; });
    bar.value = 1;
    button.disabled = false;
    clear(out).appendChild(report(answer));
    // A refused file: the file field says so (its lines' reasons are in the report below), #19 RGAA 11.10.
    const b = answer.body || {};
    if (answer.status >= 400 && b.title) showFieldErrors(form, { code: b.code || 'refused', title: b.title, detail: b.detail }, { '*': file });
  });
  return form;
}

export function importsView(isDirector) {
  function render(main) {
    if (!isDirector()) {
      append(clear(main), [el('h1', { i18n: 'imp.title' }), el('p', { className: 'notice', i18n: 'lockdowns.directorsOnly' })]);
      return;
    }
    append(clear(main), [
      el('h1', { i18n: 'imp.title' }), el('p', { className: 'intro', i18n: 'imp.intro' }),
      importForm('imp-catalogue', 'imp.catalogue', ['csv', 'marc21', 'unimarc', 'marcxml'], (f) => '/api/catalogue/imports?format=' + f),
      importForm('imp-loans', 'imp.loans', ['csv'], () => '/api/loans/import'),
    ]);
  }
  return { title: 'imp.title', render: render };
}
