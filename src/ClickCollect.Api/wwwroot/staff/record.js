// The patron record (#/lecteur/P0001): the phone desk's whole call on one page, keyboard only.
//   GET /api/patrons/{card}/record → { patron, appointments, selectionRequests, sms } (opening it is logged)
//   GET /api/holds?patronCardNumber=, GET /api/loans?patronCardNumber=, GET /api/patrons/{card}/fines
// Actions: POST /api/holds (reserve, channel phone), POST /api/appointments (book; joins one in the same slot),
// POST /api/appointments/{id}/move, DELETE /api/appointments/{id}, DELETE /api/holds/{id},
// POST /api/patrons/{card}/fines/payments, PUT /api/patrons/{card}/contact.
import { api, idempotentPost, problemMessage, withQuery } from '../js/api.js';
import { append, clear, el, field } from '../js/dom.js';
import { clearFieldErrors, refuse } from '../js/field-errors.js';
import { bind } from '../js/i18n.js';
import { ACTIVE, holdStatus, isAllocated } from '../js/holds.js';
import { displayPhone } from '../js/phone.js';
import { loadPickupPoints } from '../js/pickup-points.js';
import { slotPicker } from '../js/slot-picker.js';
import '../js/record-strings.js';
import { privacySection } from './record-privacy.js';

export function recordView(currentStaff) {
  let card = '';
  let ui = null;

  async function render(main, params, path) {
    card = path[0] || params.get('card') || '';
    ui = { root: el('section', { className: 'record', 'data-state': 'loading' }), status: el('div', { className: 'record-status', role: 'status' }) };
    append(clear(main), [el('p', { className: 'back' }, el('a', { href: '#/lecteurs', i18n: 'record.back' })), ui.root]);
    await load();
  }

  async function load(message) {
    let record, holds, loans, fines, points;
    try {
      [record, holds, loans, fines, points] = await Promise.all([
        api('/api/patrons/' + encodeURIComponent(card) + '/record'),
        api(withQuery('/api/holds', { patronCardNumber: card })),
        api(withQuery('/api/loans', { patronCardNumber: card })),
        api('/api/patrons/' + encodeURIComponent(card) + '/fines'),
        loadPickupPoints(),
      ]);
    } catch (error) {
      ui.root.setAttribute('data-state', 'error');
      append(clear(ui.root), [el('h1', { i18n: 'record.title' }), el('div', { className: 'form-error', role: 'alert' }, problemMessage(error))]);
      return;
    }
    const p = record.patron;
    const staff = currentStaff() || {};
    const ctx = { card: p.cardNumber, points: points, home: staff.homePickupPointId, reload: load, say: say };
    append(clear(ui.root), [
      el('h1', {}, p.lastName + ' ' + p.firstName, ' ', el('span', { className: 'card-number' }, p.cardNumber)),
      ui.status,
      p.blockedReason ? el('p', { className: 'notice error', i18n: 'record.blocked', args: { reason: p.blockedReason } }) : null,
      contactSection(p, ctx),
      reserveSection(ctx),
      holdsSection(holds, ctx),
      bookSection(holds, ctx),
      appointmentsSection(record.appointments, ctx),
      loansSection(loans),
      finesSection(fines, ctx),
      selectionsSection(record.selectionRequests, p),
      smsSection(record.sms),
      privacySection(p, staff.role),
    ]);
    ui.root.setAttribute('data-state', 'ready');
    if (message) say(message.key, message.args);
  }

  function say(key, args) {
    clear(ui.status).appendChild(el('p', { className: 'notice', i18n: key, args: args }));
  }

  return { title: 'record.title', render: render };
}

function section(id, titleKey, ...children) {
  return el('section', { className: 'record-part', id: id, 'aria-labelledby': id + '-h' }, el('h2', { id: id + '-h', i18n: titleKey }), children);
}

function errorBox() {
  return el('div', { className: 'form-error', 'aria-live': 'assertive' });
}

// Runs action(); on failure shows the problem in box, tied to the fields of `form` it names
// (fields: { jsonPath: control }, #19 RGAA 11.10); on success reloads the record with a message.
async function attempt(box, ctx, action, message, form, fields) {
  clear(box);
  if (form) clearFieldErrors(form);
  try {
    const result = await action();
    await ctx.reload(typeof message === 'function' ? message(result) : message);
  } catch (error) {
    if (form) refuse(form, box, error, fields);
    else append(box, problemMessage(error));
  }
}

function contactSection(p, ctx) {
  const phone = el('input', { type: 'tel', autocomplete: 'off', value: displayPhone(p.phone) });
  const consent = el('input', { type: 'checkbox', id: 'record-sms' });
  consent.checked = !!p.smsConsent;
  const box = errorBox();
  const form = el('form', { className: 'contact-form', novalidate: true, onSubmit: (event) => {
    event.preventDefault();
    attempt(box, ctx, () => api('/api/patrons/' + encodeURIComponent(ctx.card) + '/contact',
      { method: 'PUT', body: { phone: phone.value.trim() || null, smsConsent: consent.checked } }), { key: 'record.contact.saved' },
    form, { phone: phone, smsConsent: consent });
  } },
  field('record-phone', 'record.contact.phone', phone),
  el('div', { className: 'check' }, consent, el('label', { for: 'record-sms', i18n: 'record.contact.sms' })),
  box,
  el('button', { type: 'submit', className: 'secondary', i18n: 'record.contact.save' }));
  return section('record-contact', 'record.contact.title',
    el('dl', { className: 'details' },
      el('dt', { i18n: 'patrons.card' }), el('dd', {}, p.cardNumber),
      el('dt', { i18n: 'patrons.email' }), el('dd', {}, p.email || '—')),
    form);
}

function pointSelect(id, ctx, preferred) {
  const select = el('select', { id: id });
  ctx.points.forEach((point) => select.appendChild(el('option', { value: point.id }, point.name)));
  // The staff member's own counter first, else the first counter (not a bibliobus stop).
  const counter = ctx.points.filter((point) => point.kind === 'counter')[0];
  const wanted = preferred || ctx.home || (counter && counter.id);
  if (wanted) select.value = String(wanted);
  return select;
}

// Reserve a title for the caller: search the catalogue inline, choose the pickup point, reserve.
function reserveSection(ctx) {
  const q = el('input', { type: 'search', autocomplete: 'off', spellcheck: 'false' });
  const point = pointSelect('reserve-point', ctx);
  const results = el('div', { className: 'reserve-results', 'aria-live': 'polite' });
  const box = errorBox();
  const post = idempotentPost('/api/holds');
  async function search(event) {
    event.preventDefault();
    clear(box);
    clear(results);
    if (!q.value.trim()) return;
    let page;
    try {
      page = await api(withQuery('/api/titles', { q: q.value.trim(), pageSize: 8 }));
    } catch (error) {
      append(box, problemMessage(error));
      return;
    }
    const items = page.items || [];
    results.appendChild(el('p', { i18n: items.length ? 'record.reserve.count' : 'record.reserve.none', args: { n: page.total || items.length } }));
    results.appendChild(el('ul', { className: 'reserve-list' }, items.map((title) => el('li', {},
      el('span', { className: 'title' }, title.title), ' — ', el('span', {}, (title.authors || []).join(', ')), ' ',
      el('span', { className: 'muted', i18n: 'record.reserve.available', args: { n: title.availableCopies } }), ' ',
      el('button', { type: 'button', className: 'secondary', 'data-title-id': title.id, i18n: 'record.reserve.button',
        onClick: () => attempt(box, ctx, () => post({ titleId: title.id, pickupPointId: Number(point.value), patronCardNumber: ctx.card }),
          { key: 'record.reserve.done', args: { title: title.title } }, form, { pickupPointId: point }) })))));
  }
  const form = el('form', { className: 'search-form', role: 'search', onSubmit: search },
    field('reserve-q', 'record.reserve.q', q),
    field('reserve-point', 'record.reserve.point', point),
    el('button', { type: 'submit', className: 'primary', i18n: 'record.reserve.search' }));
  return section('record-reserve', 'record.reserve.title', form, box, results);
}

const HOLD_COLUMNS = ['record.col.title', 'record.col.status', 'record.col.point', 'record.col.appointment', 'record.col.actions'];
const LOAN_COLUMNS = ['record.col.title', 'record.col.barcode', 'record.col.due'];

// data-label: the column's name, shown before the value when a narrow screen stacks the table (#19).
function cell(columns, i, props, ...children) {
  return el('td', Object.assign({ i18nAttrs: { 'data-label': columns[i] } }, props), ...children);
}

function holdsSection(holds, ctx) {
  const active = holds.filter((h) => ACTIVE.indexOf(h.status) >= 0);
  const box = errorBox();
  if (!active.length) return section('record-holds', 'record.holds.title', el('p', { i18n: 'record.holds.none' }));
  return section('record-holds', 'record.holds.title', box, el('div', { className: 'table-wrap' }, el('table', {},
    el('caption', { className: 'visually-hidden', i18n: 'caption.recordHolds' }),
    el('thead', {}, el('tr', {}, HOLD_COLUMNS.map((key) => el('th', { scope: 'col', i18n: key })))),
    el('tbody', {}, active.map((h) => el('tr', {},
      cell(HOLD_COLUMNS, 0, {}, h.title),
      cell(HOLD_COLUMNS, 1, holdStatus(h)),
      cell(HOLD_COLUMNS, 2, {}, h.pickupPointName),
      cell(HOLD_COLUMNS, 3, h.slotStart ? { i18n: 'record.at', args: { at: { dateTime: h.slotStart } } } : { i18n: 'record.holds.noAppointment' }),
      cell(HOLD_COLUMNS, 4, {}, el('button', { type: 'button', className: 'secondary', i18n: 'record.holds.cancel',
        onClick: () => {
          if (!window.confirm(bind(el('span'), 'record.holds.cancelQuestion', { title: h.title }).textContent)) return;
          attempt(box, ctx, () => api('/api/holds/' + h.id, { method: 'DELETE' }), { key: 'record.holds.cancelled', args: { title: h.title } });
        } }))))))));
}

// Book a slot for the holds set aside at one pickup point and not yet in an appointment.
function bookSection(holds, ctx) {
  const free = holds.filter((h) => isAllocated(h) && !h.appointmentId);
  if (!free.length) return section('record-book', 'record.book.title', el('p', { i18n: 'record.book.none' }));
  const pointIds = free.map((h) => h.pickupPointId).filter((id, i, all) => all.indexOf(id) === i);
  const point = pointSelect('book-point', { points: ctx.points.filter((pp) => pointIds.indexOf(pp.id) >= 0) }, pointIds[0]);
  const list = el('fieldset', { className: 'book-holds' }, el('legend', { i18n: 'record.book.holds' }));
  const picker = slotPicker('book', () => point.value);
  const box = errorBox();
  const post = idempotentPost('/api/appointments');
  function drawHolds() {
    Array.from(list.querySelectorAll('.check')).forEach((node) => node.remove());
    free.filter((h) => String(h.pickupPointId) === point.value).forEach((h) => {
      const id = 'book-hold-' + h.id;
      list.appendChild(el('div', { className: 'check' }, el('input', { type: 'checkbox', id: id, value: h.id, checked: true }),
        el('label', { for: id }, h.title)));
    });
    picker.refresh();
  }
  point.addEventListener('change', drawHolds);
  const form = el('form', { className: 'book-form', novalidate: true, onSubmit: (event) => {
    event.preventDefault();
    const holdIds = Array.from(list.querySelectorAll('input:checked')).map((input) => Number(input.value));
    attempt(box, ctx, () => post({ pickupPointId: Number(point.value), slotStart: picker.value(), holdIds: holdIds, patronCardNumber: ctx.card }),
      (a) => ({ key: 'record.book.done', args: { at: { dateTime: a.slotStart } } }), form,
      { pickupPointId: point, slotStart: picker.select, holdIds: list });
  } }, field('book-point', 'record.reserve.point', point), list, picker.node, box,
  el('button', { type: 'submit', className: 'primary', i18n: 'record.book.submit' }));
  drawHolds();
  return section('record-book', 'record.book.title', form);
}

function appointmentsSection(appointments, ctx) {
  const upcoming = appointments.filter((a) => a.status === 'booked' || a.status === 'arrived');
  if (!upcoming.length) return section('record-appointments', 'record.appointments.title', el('p', { i18n: 'record.appointments.none' }));
  return section('record-appointments', 'record.appointments.title', el('ul', { className: 'appointments' }, upcoming.map((a) => {
    const box = errorBox();
    const picker = slotPicker('move-' + a.id, () => a.pickupPointId);
    const move = el('form', { className: 'move-form', novalidate: true, onSubmit: (event) => {
      event.preventDefault();
      attempt(box, ctx, () => api('/api/appointments/' + a.id + '/move', { method: 'POST', body: { slotStart: picker.value() } }),
        (moved) => ({ key: 'record.appointments.moved', args: { at: { dateTime: moved.slotStart } } }), move, { slotStart: picker.select });
    } }, picker.node, el('button', { type: 'submit', className: 'secondary', i18n: 'record.appointments.move' }));
    picker.refresh();
    return el('li', { className: 'appointment', 'data-appointment-id': a.id },
      el('p', {}, el('strong', { i18n: 'record.at', args: { at: { dateTime: a.slotStart } } }), ' — ', a.pickupPointName, ' — ',
        el('span', { i18n: 'appointment.status.' + a.status })),
      el('p', { i18n: 'record.appointments.items', args: { n: a.holds.length, titles: a.holds.map((h) => h.title).join(', ') } }),
      a.status === 'booked' ? move : null,
      box,
      el('button', { type: 'button', className: 'secondary', i18n: 'appointment.cancel', onClick: () => {
        if (!window.confirm(bind(el('span'), 'record.appointments.cancelQuestion').textContent)) return;
        attempt(box, ctx, () => api('/api/appointments/' + a.id, { method: 'DELETE' }), { key: 'record.appointments.cancelled' });
      } }));
  })));
}

function loansSection(loans) {
  const current = loans.filter((l) => !l.returnedOn);
  if (!current.length) return section('record-loans', 'record.loans.title', el('p', { i18n: 'record.loans.none' }));
  return section('record-loans', 'record.loans.title', el('div', { className: 'table-wrap' }, el('table', {},
    el('caption', { className: 'visually-hidden', i18n: 'caption.recordLoans' }),
    el('thead', {}, el('tr', {}, LOAN_COLUMNS.map((key) => el('th', { scope: 'col', i18n: key })))),
    el('tbody', {}, current.map((l) => el('tr', {}, cell(LOAN_COLUMNS, 0, {}, l.title), cell(LOAN_COLUMNS, 1, {}, l.barcode),
      cell(LOAN_COLUMNS, 2, l.dueOn ? { i18n: 'record.loans.due', args: { day: { day: l.dueOn }, n: l.overdueDays } } : { i18n: 'record.loans.afterLockdown' })))))));
}

function finesSection(fines, ctx) {
  const amount = el('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off' });
  const payment = el('input', { type: 'radio', name: 'fine-kind', id: 'fine-payment', value: 'payment', checked: true });
  const waiver = el('input', { type: 'radio', name: 'fine-kind', id: 'fine-waiver', value: 'waiver' });
  const note = el('input', { type: 'text', autocomplete: 'off' });
  const kind = el('fieldset', {}, el('legend', { i18n: 'record.fines.kind' }),
    el('div', { className: 'check' }, payment, el('label', { for: 'fine-payment', i18n: 'record.fines.payment' })),
    el('div', { className: 'check' }, waiver, el('label', { for: 'fine-waiver', i18n: 'record.fines.waiver' })));
  const box = errorBox();
  const post = idempotentPost('/api/patrons/' + encodeURIComponent(ctx.card) + '/fines/payments');
  const form = el('form', { className: 'fine-form', novalidate: true, onSubmit: (event) => {
    event.preventDefault();
    const cents = Math.round(parseFloat(amount.value.replace(',', '.').replace(/[€\s]/g, '')) * 100);
    attempt(box, ctx, () => post({ amount: isNaN(cents) ? 0 : cents, kind: waiver.checked ? 'waiver' : 'payment', note: note.value.trim() || null }),
      { key: waiver.checked ? 'record.fines.waived' : 'record.fines.paid', args: { amount: { cents: isNaN(cents) ? 0 : cents } } },
      form, { amount: amount, note: note, kind: kind });
  } },
  kind,
  field('fine-amount', 'record.fines.amount', amount),
  field('fine-note', 'record.fines.note', note, 'record.fines.noteHint'),
  box, el('button', { type: 'submit', className: 'primary', i18n: 'record.fines.submit' }));
  return section('record-fines', 'record.fines.title',
    el('p', { className: 'fine-balance', i18n: 'record.fines.balance', args: { balance: { cents: fines.balance }, total: { cents: fines.total } } }),
    fines.lines.length ? el('ul', {}, fines.lines.map((line) => el('li', { i18n: 'record.fines.line',
      args: { title: line.title, n: line.overdueDays, amount: { cents: line.amount } } }))) : null,
    fines.entries.length ? el('ul', {}, fines.entries.map((entry) => el('li', { i18n: 'record.fines.entry.' + entry.kind,
      args: { amount: { cents: entry.amount }, at: { dateTime: entry.createdAt }, note: entry.note || '' } }))) : null,
    fines.balance > 0 ? form : null);
}

function selectionsSection(requests, p) {
  return section('record-selections', 'record.selections.title',
    requests.length ? el('ul', {}, requests.map((r) => el('li', {},
      el('span', { i18n: 'sel.status.' + r.status, args: { fallback: r.status } }), ' — ', r.pickupPointName,
      r.librarianNote ? el('p', { className: 'librarian-note', i18n: 'record.selections.note', args: { note: r.librarianNote } }) : null)))
      : el('p', { i18n: 'record.selections.none' }),
    el('p', {}, el('a', { href: withQuery('#/demande-selection', { card: p.cardNumber }), i18n: 'record.selections.new' })));
}

function smsSection(sms) {
  return section('record-sms', 'record.sms.title', sms.length
    ? el('ul', { className: 'sms-list' }, sms.map((m) => el('li', {},
      el('span', { i18n: 'record.at', args: { at: { dateTime: m.createdAt } } }), ' — ',
      el('span', { i18n: 'smsKind.' + m.kind, args: { fallback: m.kind } }), ' — ',
      el('span', { i18n: 'smsStatus.' + m.status, args: { fallback: m.status } }))))
    : el('p', { i18n: 'record.sms.none' }));
}
