// "Mes réservations" (#/reservations): the patron's appointments and holds, with what can be done
// with each: cancel (after a confirmation), choose a slot, and "Je suis arrivé·e" from 30 minutes
// before the slot (the server has the last word: it answers 409 arrival_too_early otherwise).
//   GET /api/appointments → [{ id, status, pickupPointId, pickupPointName, slotStart, slotEnd, arrivedAt, holds: [{ holdId, title, status }] }]
//   GET /api/holds → [{ id, status, title, authors, pickupPointId, pickupPointName, pickupDeadline, appointmentId, slotStart, queuePosition }]
//   DELETE /api/appointments/{id}, DELETE /api/holds/{id}, POST /api/appointments/{id}/arrival
// A booked appointment can be moved to another slot of its pickup point, and documents set aside there
// since can join it (issue 10 item 4):
//   POST /api/appointments/{id}/move { slotStart }, POST /api/appointments/{id}/holds { holdIds }
import { api, problemMessage } from './api.js';
import { append, clear, el } from './dom.js';
import { clearFieldErrors, refuse, refuseHere } from './field-errors.js';
import { ACTIVE, bookable, holdStatus, isAllocated } from './holds.js';
import { findPoint, loadPickupPoints } from './pickup-points.js';
import { slotPicker } from './slot-picker.js';
import './account-strings.js';
import './record-strings.js';

// DESIGN.md "Appointments" and the API's AppointmentOptions: "I'm here" opens 30 minutes before the
// slot and closes 30 minutes after it ends.
const ARRIVAL_OPENS_MINUTES = 30;
const ARRIVAL_GRACE_MINUTES = 30;
const UPCOMING = ['booked', 'arrived'];

// ctx: { takeNotice() → { i18n, args } or null: a message left by the previous view }
export function reservationsView(ctx) {
  let timer = null; // redraws the page when an appointment's "I'm here" opens

  function render(main) {
    const ui = {
      root: el('section', { className: 'reservations', 'data-state': 'loading' }),
      notice: el('div', { className: 'notices', role: 'status', tabindex: '-1' }),
      body: el('div', {}, el('p', { i18n: 'app.loading' })),
    };
    const notice = ctx.takeNotice();
    if (notice) ui.notice.appendChild(el('p', { className: 'notice', i18n: notice.i18n, args: notice.args }));
    append(clear(main).appendChild(ui.root), [el('h1', { i18n: 'reservations.title' }), ui.notice, ui.body]);
    load(ui);
  }

  async function load(ui, focusNotice) {
    let answers;
    try {
      answers = await Promise.all([api('/api/appointments'), api('/api/holds'), loadPickupPoints()]);
    } catch (error) {
      if (!ui.root.isConnected) return;
      ui.root.setAttribute('data-state', 'error');
      clear(ui.body).appendChild(el('div', { className: 'form-error' }, problemMessage(error)));
      return;
    }
    if (!ui.root.isConnected) return;
    const appointments = Array.isArray(answers[0]) ? answers[0] : [];
    const holds = Array.isArray(answers[1]) ? answers[1] : [];
    const points = answers[2];
    ui.root.setAttribute('data-state', 'shown');
    const upcoming = appointments.filter((a) => UPCOMING.indexOf(a.status) >= 0);
    const pastAppointments = appointments.filter((a) => UPCOMING.indexOf(a.status) < 0).reverse();
    // What can be collected first, then what is on its way, then what waits.
    const order = ['ready', 'toPick', 'inTransit', 'queued'];
    const active = holds.filter((h) => ACTIVE.indexOf(h.status) >= 0)
      .sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status) || Date.parse(a.createdAt) - Date.parse(b.createdAt));
    const finished = holds.filter((h) => ACTIVE.indexOf(h.status) < 0);
    const zoneOf = (pointId) => (findPoint(points, pointId) || {}).timeZone || undefined;

    clearTimeout(timer);
    const nextOpening = upcoming.filter((a) => a.status === 'booked').map((a) => arrivalOpens(a) - Date.now()).filter((ms) => ms > 0).sort((a, b) => a - b)[0];
    if (nextOpening !== undefined && nextOpening < 2147483647) {
      timer = setTimeout(() => { if (ui.root.isConnected) load(ui); }, nextOpening + 1000);
    }

    const refresh = (notice) => {
      clear(ui.notice);
      if (notice) ui.notice.appendChild(el('p', { className: 'notice', i18n: notice.i18n, args: notice.args }));
      return load(ui, !!notice);
    };
    clear(ui.body);
    append(ui.body, [
      el('section', { className: 'appointments', 'aria-labelledby': 'appointments-heading' },
        el('h2', { id: 'appointments-heading', i18n: 'reservations.appointments' }),
        upcoming.length
          ? el('ul', { className: 'cards' }, upcoming.map((a) => appointmentCard(a, zoneOf(a.pickupPointId), refresh, bookable(holds, a.pickupPointId))))
          : el('p', { className: 'muted', i18n: 'reservations.noAppointment' })),
      el('section', { className: 'holds', 'aria-labelledby': 'holds-heading' },
        el('h2', { id: 'holds-heading', i18n: 'reservations.holds' }),
        active.length
          ? el('ul', { className: 'cards' }, active.map((h) => holdCard(h, zoneOf(h.pickupPointId), refresh)))
          : el('p', { className: 'muted' }, el('span', { i18n: 'reservations.noHold' }), ' ',
            el('a', { href: '#/catalogue', i18n: 'reservations.toCatalogue' }))),
      pastAppointments.length || finished.length ? history(pastAppointments, finished, zoneOf) : null,
    ]);
    if (focusNotice) ui.notice.focus();
  }

  return { title: 'reservations.title', render: render };
}

function arrivalOpens(appointment) {
  return Date.parse(appointment.slotStart) - ARRIVAL_OPENS_MINUTES * 60000;
}

// waiting: the patron's holds set aside at the appointment's pickup point without an appointment.
function appointmentCard(a, zone, refresh, waiting) {
  const actions = el('div', { className: 'actions' });
  const card = el('li', { className: 'card appointment', 'data-id': String(a.id), 'data-status': a.status },
    el('h3', { className: 'when', i18n: 'appointment.when',
      args: { date: { date: a.slotStart, zone: zone }, start: { time: a.slotStart, zone: zone }, end: { time: a.slotEnd, zone: zone } } }),
    el('p', { className: 'where' }, el('span', { className: 'label', i18n: 'reservations.pickupPoint' }), ' ', a.pickupPointName),
    el('p', { className: 'status' }, el('span', { className: 'badge status-' + a.status, i18n: 'appointment.status.' + a.status, args: { fallback: a.status } })),
    (a.holds || []).length ? el('ul', { className: 'titles' }, a.holds.map((h) => el('li', {}, h.title))) : null,
    arrival(a, zone, refresh),
    actions);
  if (a.status === 'booked') {
    card.insertBefore(changeAppointment(a, zone, refresh, waiting), actions);
    actions.appendChild(el('button', { type: 'button', className: 'secondary', i18n: 'appointment.cancel',
      onClick: () => confirmInline(actions, 'appointment.cancelQuestion', 'appointment.cancelYes', async () => {
        await api('/api/appointments/' + a.id, { method: 'DELETE' });
        await refresh({ i18n: 'appointment.cancelled', args: { at: { dateTime: a.slotStart, zone: zone } } });
      }) }));
  }
  return card;
}

// "Move" and "add documents", each behind a disclosure so the card stays short: the slot list is
// asked for when the patron opens it.
function changeAppointment(a, zone, refresh, waiting) {
  const box = el('div', { className: 'appointment-change' });
  const picker = slotPicker('move-' + a.id, () => a.pickupPointId);
  const moveError = el('div', { className: 'form-error', 'aria-live': 'assertive' });
  const moveButton = el('button', { type: 'submit', className: 'primary', i18n: 'appointment.moveSubmit' });
  const move = el('details', { className: 'move', onToggle: () => { if (move.open) picker.refresh(); } },
    el('summary', { i18n: 'appointment.move' }),
    el('form', { className: 'move-form', novalidate: true, onSubmit: async (event) => {
      const form = event.target;
      event.preventDefault();
      clear(moveError);
      clearFieldErrors(form);
      if (!picker.value()) {
        refuseHere(form, moveError, picker.select, 'appointment.moveChoose');
        return;
      }
      moveButton.disabled = true;
      try {
        const moved = await api('/api/appointments/' + a.id + '/move', { method: 'POST', body: { slotStart: picker.value() } });
        await refresh({ i18n: 'appointment.moved', args: { at: { dateTime: moved.slotStart, zone: zone } } });
      } catch (failure) {
        refuse(event.target, moveError, failure, { slotStart: picker.select });
        moveButton.disabled = false;
      }
    } }, el('p', { className: 'hint', i18n: 'appointment.moveHint' }), picker.node, moveError, moveButton));
  box.appendChild(move);
  if (!waiting.length) return box;

  const checks = waiting.map((h) => {
    const input = el('input', { type: 'checkbox', id: 'add-' + a.id + '-' + h.id, value: String(h.id) });
    input.checked = true;
    return { hold: h, input: input };
  });
  const addError = el('div', { className: 'form-error', 'aria-live': 'assertive' });
  const addButton = el('button', { type: 'submit', className: 'primary', i18n: 'appointment.addSubmit' });
  box.appendChild(el('details', { className: 'add-holds' },
    el('summary', { i18n: 'appointment.add', args: { n: waiting.length } }),
    el('form', { className: 'add-form', novalidate: true, onSubmit: async (event) => {
      const form = event.target;
      event.preventDefault();
      clear(addError);
      clearFieldErrors(form);
      const chosen = checks.filter((c) => c.input.checked);
      if (!chosen.length) {
        refuseHere(form, addError, form.querySelector('fieldset'), 'appointment.addChoose');
        return;
      }
      addButton.disabled = true;
      try {
        await api('/api/appointments/' + a.id + '/holds', { method: 'POST', body: { holdIds: chosen.map((c) => c.hold.id) } });
        await refresh({ i18n: 'appointment.added', args: { n: chosen.length } });
      } catch (failure) {
        refuse(event.target, addError, failure, { holdIds: event.target.querySelector('fieldset') });
        addButton.disabled = false;
      }
    } },
    el('fieldset', {}, el('legend', { i18n: 'appointment.addLegend' }),
      checks.map((c) => el('div', { className: 'field check' }, c.input, ' ', el('label', { for: c.input.id, className: 'inline' }, c.hold.title)))),
    addError, addButton)));
  return box;
}

// "Je suis arrivé·e": a button while the window is open, the time it opens before, a confirmation after.
function arrival(a, zone, refresh) {
  if (a.status === 'arrived') {
    return el('p', { className: 'arrived notice' }, el('strong', { i18n: 'arrival.done', args: { at: { time: a.arrivedAt || a.slotStart, zone: zone } } }),
      ' ', el('span', { i18n: 'arrival.doneHint' }));
  }
  if (a.status !== 'booked') return null;
  const now = Date.now();
  const closes = Date.parse(a.slotEnd) + ARRIVAL_GRACE_MINUTES * 60000;
  if (now < arrivalOpens(a)) {
    return el('p', { className: 'hint arrival-later', i18n: 'arrival.later', args: { at: { time: new Date(arrivalOpens(a)).toISOString(), zone: zone } } });
  }
  if (now > closes) return null;
  const box = el('div', { className: 'arrival' });
  const error = el('div', { className: 'form-error', 'aria-live': 'assertive' });
  const button = el('button', { type: 'button', className: 'primary arrive', i18n: 'arrival.action', onClick: async () => {
    clear(error);
    button.disabled = true;
    try {
      await api('/api/appointments/' + a.id + '/arrival', { method: 'POST' });
      await refresh({ i18n: 'arrival.confirmed', args: { point: a.pickupPointName } });
    } catch (failure) {
      append(error, problemMessage(failure));
      button.disabled = false;
    }
  } });
  return append(box, [el('p', { className: 'hint', i18n: 'arrival.hint' }), button, error]);
}

function holdCard(h, zone, refresh) {
  const status = holdStatus(h);
  const actions = el('div', { className: 'actions' });
  const card = el('li', { className: 'card hold', 'data-id': String(h.id), 'data-status': h.status },
    el('h3', { className: 'hold-title' }, h.title),
    (h.authors || []).length ? el('p', { className: 'authors' }, h.authors.join(' ; ')) : null,
    el('p', { className: 'status' }, el('span', { className: 'badge status-' + h.status, i18n: status.i18n, args: status.args })),
    el('p', { className: 'where' }, el('span', { className: 'label', i18n: 'reservations.pickupPoint' }), ' ', h.pickupPointName),
    h.appointmentId && h.slotStart
      ? el('p', { className: 'hold-slot' }, el('span', { i18n: 'hold.appointment', args: { at: { dateTime: h.slotStart, zone: zone } } }))
      : null,
    actions);
  if (isAllocated(h) && !h.appointmentId) {
    actions.appendChild(el('a', { className: 'button primary', href: '#/creneau?point=' + h.pickupPointId + '&holds=' + h.id, i18n: 'hold.chooseSlot' }));
    actions.appendChild(document.createTextNode(' '));
  }
  actions.appendChild(el('button', { type: 'button', className: 'secondary', i18n: 'hold.cancel',
    onClick: () => confirmInline(actions, 'hold.cancelQuestion', 'hold.cancelYes', async () => {
      await api('/api/holds/' + h.id, { method: 'DELETE' });
      await refresh({ i18n: 'hold.cancelled', args: { title: h.title } });
    }) }));
  return card;
}

function history(appointments, holds, zoneOf) {
  return el('details', { className: 'history' },
    el('summary', { i18n: 'reservations.history' }),
    appointments.length
      ? el('ul', { className: 'plain' }, appointments.map((a) => el('li', {},
        el('span', { i18n: 'appointment.when', args: { date: { date: a.slotStart, zone: zoneOf(a.pickupPointId) },
          start: { time: a.slotStart, zone: zoneOf(a.pickupPointId) }, end: { time: a.slotEnd, zone: zoneOf(a.pickupPointId) } } }),
        ' — ', a.pickupPointName, ' — ',
        el('span', { i18n: 'appointment.status.' + a.status, args: { fallback: a.status } }))))
      : null,
    holds.length
      ? el('ul', { className: 'plain' }, holds.map((h) => el('li', {}, h.title, ' — ',
        el('span', { i18n: 'hold.status.' + h.status, args: { fallback: h.status } }))))
      : null);
}

// Replaces a card's actions with "Are you sure?" and two buttons; "No" puts the actions back.
function confirmInline(actions, questionKey, yesKey, onYes) {
  const saved = Array.prototype.slice.call(actions.childNodes);
  const question = el('p', { className: 'confirm-question', tabindex: '-1', i18n: questionKey });
  const error = el('div', { className: 'form-error', 'aria-live': 'assertive' });
  const yes = el('button', { type: 'button', className: 'danger', i18n: yesKey, onClick: async () => {
    clear(error);
    yes.disabled = true;
    no.disabled = true;
    try {
      await onYes();
    } catch (failure) {
      append(error, problemMessage(failure));
      yes.disabled = false;
      no.disabled = false;
    }
  } });
  const no = el('button', { type: 'button', className: 'secondary', i18n: 'confirm.no', onClick: () => {
    append(clear(actions), saved);
    actions.classList.remove('confirming');
    if (saved[saved.length - 1] && saved[saved.length - 1].focus) saved[saved.length - 1].focus();
  } });
  actions.classList.add('confirming');
  append(clear(actions), [question, el('p', { className: 'confirm-buttons' }, yes, ' ', no), error]);
  question.focus();
}
