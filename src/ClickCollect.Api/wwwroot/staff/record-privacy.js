// The patron record's personal-data part (issue 16): export everything held about the patron (logged
// in the access log) and erase them (counter staff and directors; refused with the reasons while
// documents are out, fines due or reservations under way).
//   GET /api/patrons/{card}/export → JSON (saved as a file); POST /api/patrons/{card}/erasure
import { api, problemMessage } from '../js/api.js';
import { append, clear, el } from '../js/dom.js';
import { clearFieldErrors, refuseHere } from '../js/field-errors.js';
import { downloadJson } from '../js/privacy-strings.js';

export function privacySection(p, role) {
  const box = el('div', { className: 'form-error', 'aria-live': 'assertive' });
  const status = el('div', { role: 'status' });
  const path = '/api/patrons/' + encodeURIComponent(p.cardNumber);
  const exportButton = el('button', { type: 'button', className: 'secondary', i18n: 'privacy.staff.export', onClick: async () => {
    clear(box);
    try {
      downloadJson(await api(path + '/export'), 'lecteur-' + p.cardNumber + '.json');
    } catch (error) { append(box, problemMessage(error)); }
  } });
  const mayErase = role === 'counter' || role === 'director';
  const confirm = el('input', { type: 'checkbox', id: 'record-erase-confirm' });
  const eraseForm = mayErase ? el('form', { className: 'erase-form', novalidate: true, onSubmit: async (event) => {
    event.preventDefault();
    clear(box);
    clearFieldErrors(eraseForm);
    if (!confirm.checked) {
      refuseHere(eraseForm, box, confirm, 'privacy.staff.mustConfirm');
      return;
    }
    try {
      await api(path + '/erasure', { method: 'POST' });
      clear(status).appendChild(el('p', { className: 'notice', i18n: 'privacy.staff.erased' }));
      eraseForm.remove();
      exportButton.remove();
    } catch (error) {
      append(box, problemMessage(error));
      const reasons = error.problem && error.problem.reasons;
      if (reasons && reasons.length) box.appendChild(el('ul', {}, reasons.map((r) => el('li', {}, r.message))));
    }
  } },
  el('div', { className: 'field check' }, confirm, ' ', el('label', { for: 'record-erase-confirm', className: 'inline', i18n: 'privacy.staff.confirm' })),
  el('button', { type: 'submit', className: 'danger', i18n: 'privacy.staff.erase' })) : null;
  return el('section', { className: 'record-part', id: 'record-privacy', 'aria-labelledby': 'record-privacy-h' },
    el('h2', { id: 'record-privacy-h', i18n: 'privacy.staff.title' }),
    p.erasureRequestedAt ? el('p', { className: 'notice', i18n: 'privacy.staff.requested', args: { at: { date: p.erasureRequestedAt } } }) : null,
    status, exportButton, eraseForm, box);
}
