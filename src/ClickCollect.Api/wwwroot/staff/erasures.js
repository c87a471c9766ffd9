// Erasure requests (issue 16): the patrons who asked for their data to be erased, oldest first, each with
// what blocks the erasure today (documents out, fines due, reservations under way). Counter staff and
// directors confirm one (the erasure itself) or decline it with a reason the patron reads on "Mon compte".
//   GET /api/patrons/erasure-requests → [{ cardNumber, firstName, lastName, requestedAt, blockers: [{ code, count, message }] }]
//   POST /api/patrons/{card}/erasure; POST /api/patrons/{card}/erasure-request/decline { reason }
import { api, problemMessage } from '../js/api.js';
import { append, clear, el } from '../js/dom.js';
import { clearFieldErrors, refuse, refuseHere } from '../js/field-errors.js';
import '../js/privacy-strings.js';

export function erasuresView(currentStaff) {
  async function render(main) {
    const status = el('div', { role: 'status' });
    const body = el('div', { 'aria-live': 'polite' });
    const staff = currentStaff();
    const accessLog = staff && staff.role === 'director' ? el('p', {}, el('a', { href: '#/journal-acces', i18n: 'staff.nav.accessLog' })) : null;
    append(clear(main), [el('h1', { i18n: 'erasures.title' }), el('p', { className: 'intro', i18n: 'erasures.intro' }), accessLog, status, body]);
    const mayAct = staff && (staff.role === 'counter' || staff.role === 'director');
    let requests;
    try {
      requests = await api('/api/patrons/erasure-requests');
    } catch (error) {
      append(body, [el('div', { className: 'error-box', role: 'alert' }, problemMessage(error))]);
      return;
    }
    if (!requests.length) {
      append(body, [el('p', { className: 'lead', i18n: 'erasures.none' })]);
      return;
    }
    append(body, [el('p', { className: 'lead', i18n: 'erasures.count', args: { n: requests.length } }),
      !mayAct ? el('p', { className: 'notice', i18n: 'erasures.readOnly' }) : null,
      requests.map((r, i) => requestCard(r, i, mayAct, status))]);
  }
  return { title: 'erasures.title', render: render };
}

function requestCard(r, i, mayAct, status) {
  const id = 'erasure-' + i;
  const box = el('div', { className: 'form-error', 'aria-live': 'assertive' });
  const path = '/api/patrons/' + encodeURIComponent(r.cardNumber);
  const done = (key) => {
    clear(status).appendChild(el('p', { className: 'notice', i18n: key, args: { card: r.cardNumber } }));
    card.remove();
  };
  const fail = (error) => {
    append(clear(box), problemMessage(error));
    const reasons = error.problem && error.problem.reasons;
    if (reasons && reasons.length) box.appendChild(el('ul', {}, reasons.map((x) => el('li', {}, x.message))));
  };
  const blocked = r.blockers.length > 0;
  const blockers = blocked
    ? el('div', { className: 'blockers', id: id + '-blockers' }, el('p', { className: 'label', i18n: 'erasures.blocked' }),
      el('ul', {}, r.blockers.map((b) => el('li', { 'data-code': b.code }, b.message))))
    : el('p', { className: 'ready', i18n: 'erasures.ready' });

  const confirm = el('input', { type: 'checkbox', id: id + '-confirm', disabled: blocked });
  const eraseForm = el('form', { className: 'erase-form', novalidate: true, onSubmit: async (event) => {
    event.preventDefault();
    clear(box);
    clearFieldErrors(eraseForm);
    if (!confirm.checked) { refuseHere(eraseForm, box, confirm, 'privacy.staff.mustConfirm'); return; }
    try {
      await api(path + '/erasure', { method: 'POST' });
      done('erasures.erased');
    } catch (error) { fail(error); }
  } },
  el('div', { className: 'field check' }, confirm, ' ', el('label', { for: confirm.id, className: 'inline', i18n: 'privacy.staff.confirm' })),
  el('button', { type: 'submit', className: 'danger', disabled: blocked, 'aria-describedby': blocked ? id + '-blockers' : null, i18n: 'erasures.erase' }));

  const reason = el('textarea', { id: id + '-reason', rows: '2', maxlength: '500', required: true });
  const declineForm = el('form', { className: 'decline-form', novalidate: true, onSubmit: async (event) => {
    event.preventDefault();
    clear(box);
    clearFieldErrors(declineForm);
    try {
      await api(path + '/erasure-request/decline', { method: 'POST', body: { reason: reason.value } });
      done('erasures.declined');
    } catch (error) { refuse(declineForm, box, error, { reason: reason }); }
  } },
  el('div', { className: 'field' }, el('label', { for: reason.id, i18n: 'erasures.reason' }),
    el('p', { className: 'hint', id: reason.id + '-hint', i18n: 'erasures.reasonHint' }), reason),
  el('button', { type: 'submit', className: 'secondary', i18n: 'erasures.decline' }));
  reason.setAttribute('aria-describedby', reason.id + '-hint');

  const card = el('article', { className: 'card erasure-request', 'data-card': r.cardNumber, 'aria-labelledby': id + '-h' },
    el('h2', { id: id + '-h' }, r.firstName + ' ' + r.lastName + ' — ' + r.cardNumber),
    el('p', { i18n: 'erasures.requestedAt', args: { at: { dateTime: r.requestedAt } } }),
    el('p', {}, el('a', { href: '#/lecteur/' + encodeURIComponent(r.cardNumber), i18n: 'erasures.record' })),
    blockers,
    mayAct ? eraseForm : null,
    mayAct ? declineForm : null,
    box);
  return card;
}
