// "Mon compte" (#/compte): what the library knows about the signed-in patron and what they may change
// themselves (issue 10 item 6): contact details and SMS consent, current loans with their due dates,
// fines with their lines, and the librarians' notes of confirmed surprise selections (kept on the
// request, so a patron without a mobile number, who gets no SMS, still reads them here).
//   GET /api/loans → [{ title, barcode, dueOn ("2026-03-17", the branch's calendar date), dueAfterLockdown, returnedOn, overdueDays, fineAmount }]
//   GET /api/patrons/{card}/fines → { total, paid, balance, credit, lines: [{ title, overdueDays, amount, dueOn, returnedOn }], entries }
//   GET /api/selection-requests → [{ status, pickupPointId, pickupPointName, librarianNote, confirmedAt }]
//   PUT /api/patrons/me/contact { phone, smsConsent } → the patron
// Other parts of the account page (privacy: export, erasure, history consent) add themselves as
// sections through ctx.moreSections.
import { api, problemMessage } from './api.js';
import { append, clear, el, field } from './dom.js';
import { clearFieldErrors, refuse } from './field-errors.js';
import { displayPhone } from './phone.js';
import { findPoint, loadPickupPoints } from './pickup-points.js';
import './account-strings.js';

// ctx: { patron() → the signed-in patron, patronChanged(patron), signOut(), moreSections?(patron) → [nodes] }
export function accountView(ctx) {
  let root = null;

  async function render(main) {
    const patron = ctx.patron();
    root = el('section', { className: 'account', 'data-state': 'loading' });
    const status = el('div', { className: 'account-status', role: 'status' });
    const parts = el('div', {}, el('p', { i18n: 'app.loading' }));
    append(clear(main), [root]);
    append(root, [
      el('h1', { i18n: 'account.title' }),
      el('p', { className: 'lead', i18n: 'greeting', args: { name: fullName(patron) } }),
      status,
      identitySection(patron),
      contactSection(patron, ctx, (key) => clear(status).appendChild(el('p', { className: 'notice', i18n: key }))),
      parts,
      ctx.moreSections ? ctx.moreSections(patron) : null,
      el('button', { type: 'button', className: 'secondary', i18n: 'nav.signOut', onClick: ctx.signOut }),
    ]);
    const mine = root;
    let answers;
    try {
      answers = await Promise.all([
        api('/api/loans'),
        api('/api/patrons/' + encodeURIComponent(patron.cardNumber) + '/fines'),
        api('/api/selection-requests'),
        loadPickupPoints(),
      ]);
    } catch (error) {
      if (root !== mine) return;
      root.setAttribute('data-state', 'error');
      clear(parts).appendChild(el('div', { className: 'form-error', role: 'alert' }, problemMessage(error)));
      return;
    }
    if (root !== mine || !root.isConnected) return;
    const [loans, fines, selections, points] = answers;
    append(clear(parts), [
      loansSection(Array.isArray(loans) ? loans : []),
      finesSection(fines),
      notesSection(Array.isArray(selections) ? selections : [], points),
    ]);
    root.setAttribute('data-state', 'ready');
  }

  return { title: 'account.title', render: render };
}

function fullName(p) {
  return (p.firstName + ' ' + p.lastName).trim();
}

function section(id, titleKey, ...children) {
  return el('section', { className: 'account-part', id: id, 'aria-labelledby': id + '-h' }, el('h2', { id: id + '-h', i18n: titleKey }), children);
}

function identitySection(patron) {
  const list = el('dl', { className: 'details' });
  [['account.card', patron.cardNumber], ['account.name', fullName(patron)], ['account.email', patron.email]].forEach((row) => append(list, [
    el('dt', { i18n: row[0] }),
    row[1] ? el('dd', {}, row[1]) : el('dd', { className: 'muted', i18n: 'account.notGiven' }),
  ]));
  return list;
}

// The patron's own phone number and SMS consent; the server refuses SMS without a mobile number and
// says which field is wrong.
function contactSection(patron, ctx, saved) {
  const phone = el('input', { type: 'tel', autocomplete: 'tel', value: displayPhone(patron.phone) });
  const consent = el('input', { type: 'checkbox', id: 'account-sms', 'aria-describedby': 'account-sms-hint' });
  consent.checked = !!patron.smsConsent;
  const error = el('div', { className: 'form-error', 'aria-live': 'assertive' });
  const button = el('button', { type: 'submit', className: 'primary', i18n: 'account.contact.save' });
  const form = el('form', { className: 'contact-form', novalidate: true, onSubmit: async (event) => {
    event.preventDefault();
    clear(error);
    clearFieldErrors(form);
    button.disabled = true;
    try {
      const updated = await api('/api/patrons/me/contact', { method: 'PUT', body: { phone: phone.value.trim() || null, smsConsent: consent.checked } });
      ctx.patronChanged(updated);
      phone.value = displayPhone(updated.phone);
      consent.checked = !!updated.smsConsent;
      saved(updated.smsConsent ? 'account.contact.savedSms' : 'account.contact.saved');
    } catch (failure) {
      refuse(form, error, failure, { phone: phone, smsConsent: consent });
    } finally {
      button.disabled = false;
    }
  } },
  field('account-phone', 'account.phone', phone, 'account.contact.phoneHint'),
  el('div', { className: 'field check' }, consent, ' ', el('label', { for: 'account-sms', className: 'inline', i18n: 'account.contact.sms' }),
    el('p', { className: 'hint', id: 'account-sms-hint', i18n: 'account.contact.smsHint' })),
  error,
  button);
  return section('account-contact', 'account.contact.title', form);
}

function loansSection(loans) {
  const current = loans.filter((l) => !l.returnedOn);
  if (!current.length) return section('account-loans', 'account.loans.title', el('p', { className: 'muted', i18n: 'account.loans.none' }));
  const cols = ['account.col.title', 'account.col.due', 'account.col.late'];
  return section('account-loans', 'account.loans.title',
    el('p', { i18n: 'account.loans.count', args: { n: current.length } }),
    el('div', { className: 'table-wrap' }, el('table', { className: 'account-loans' },
      el('caption', { className: 'visually-hidden', i18n: 'caption.accountLoans' }),
      el('thead', {}, el('tr', {}, cols.map((key) => el('th', { scope: 'col', i18n: key })))),
      el('tbody', {}, current.map((l) => el('tr', { 'data-loan-id': String(l.id) },
        el('td', { i18nAttrs: { 'data-label': cols[0] } }, l.title),
        // A due date is a day of the branch's calendar ("2026-03-17"): shown as is, never shifted by the PC's zone.
        el('td', l.dueOn ? { className: 'due', i18nAttrs: { 'data-label': cols[1] }, i18n: 'account.loans.due', args: { day: { day: l.dueOn } } }
          : { className: 'due', i18nAttrs: { 'data-label': cols[1] }, i18n: 'account.loans.afterLockdown' }),
        el('td', l.overdueDays > 0
          ? { className: 'late', i18nAttrs: { 'data-label': cols[2] }, i18n: 'account.loans.late', args: { n: l.overdueDays, amount: { cents: l.fineAmount || 0 } } }
          : { className: 'late', i18nAttrs: { 'data-label': cols[2] } })))))));
}

function finesSection(fines) {
  if (!fines || (!fines.total && !fines.lines.length && !fines.entries.length)) {
    return section('account-fines', 'account.fines.title', el('p', { className: 'muted', i18n: 'account.fines.none' }));
  }
  return section('account-fines', 'account.fines.title',
    el('p', { className: 'fine-balance', i18n: 'account.fines.balance', args: { balance: { cents: fines.balance }, total: { cents: fines.total } } }),
    fines.credit > 0 ? el('p', { i18n: 'account.fines.credit', args: { credit: { cents: fines.credit } } }) : null,
    fines.lines.length ? el('ul', { className: 'fine-lines' }, fines.lines.map((line) => el('li', { i18n: 'account.fines.line',
      args: { title: line.title, n: line.overdueDays, amount: { cents: line.amount } } }))) : null,
    fines.entries.length ? el('ul', { className: 'fine-entries' }, fines.entries.map((entry) => el('li', { i18n: 'account.fines.entry.' + entry.kind,
      args: { amount: { cents: entry.amount }, at: { date: entry.createdAt } } }))) : null,
    fines.balance > 0 ? el('p', { className: 'hint', i18n: 'account.fines.howToPay' }) : null);
}

// The librarians' notes of confirmed selections, newest first.
function notesSection(selections, points) {
  const noted = selections.filter((r) => r.confirmedAt && r.librarianNote)
    .sort((a, b) => Date.parse(b.confirmedAt) - Date.parse(a.confirmedAt));
  if (!noted.length) return null;
  return section('account-notes', 'account.notes.title', el('ul', { className: 'librarian-notes' }, noted.map((r) => {
    const zone = (findPoint(points, r.pickupPointId) || {}).timeZone || undefined;
    return el('li', { 'data-selection-id': String(r.id) },
      el('p', { className: 'note-meta', i18n: 'account.notes.meta', args: { at: { date: r.confirmedAt, zone: zone }, point: r.pickupPointName } }),
      el('blockquote', { className: 'librarian-note' }, r.librarianNote));
  })));
}
