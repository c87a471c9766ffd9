// Choosing a pickup slot (#/creneau?point=1&holds=12,13): the pickup point's calendar over its
// booking horizon, one tab per day (arrow keys move between days), each day listing its slots with
// the places left; full slots stay visible but cannot be chosen. Times are the branch's (Europe/Paris).
//   GET /api/pickup-points/{id}/slots → [{ start, end, capacity, booked, remaining }] (bookable ones only)
//   GET /api/holds → the patron's holds; POST /api/appointments { pickupPointId, slotStart, holdIds } → 201 | 409 problem
import { api, idempotentPost, problemMessage } from './api.js';
import { addDays, isoWeekday, localDateKey, localHour } from './dates.js';
import { append, clear, el } from './dom.js';
import { clearFieldErrors, refuse as refuseForm, refuseHere } from './field-errors.js';
import { bind } from './i18n.js';
import { bookable, holdStatus } from './holds.js';
import { findPoint, loadPickupPoints } from './pickup-points.js';

// ctx: { booked(appointment, point) → called once the slot is booked }
export function calendarView(ctx) {
  function render(main, params) {
    const pointId = params.get('point') || '';
    const wanted = (params.get('holds') || '').split(',').filter(Boolean);
    const state = { point: null, slots: [], days: [], day: null, start: null, holds: [] };
    const ui = {
      root: el('section', { className: 'slot-page', 'data-state': 'loading' }),
      lead: el('p', { className: 'lead' }),
      holds: el('div', { className: 'slot-holds' }),
      tabs: el('div', { className: 'days', role: 'tablist', i18nAttrs: { 'aria-label': 'slots.days' } }),
      panel: el('div', { className: 'day-slots', role: 'tabpanel', id: 'day-panel', tabindex: '-1' }),
      choice: el('p', { className: 'slot-choice', 'aria-live': 'polite' }),
      error: el('div', { className: 'form-error', 'aria-live': 'assertive', tabindex: '-1' }),
      submit: el('button', { type: 'submit', className: 'primary', i18n: 'slots.book' }),
    };
    const post = idempotentPost('/api/appointments');
    const form = el('form', { className: 'slot-form', onSubmit: book, novalidate: true },
      ui.holds,
      el('h2', { id: 'calendar-heading', i18n: 'slots.calendar' }),
      el('p', { className: 'hint', i18n: 'slots.calendarHint' }),
      el('div', { className: 'calendar', role: 'group', 'aria-labelledby': 'calendar-heading' }, ui.tabs, ui.panel),
      el('div', { className: 'slot-submit' }, ui.choice, ui.error, ui.submit));
    append(clear(main).appendChild(ui.root), [
      el('p', { className: 'back' }, el('a', { href: '#/reservations', i18n: 'slots.back' })),
      el('h1', { i18n: 'slots.title' }),
      ui.lead,
      form,
    ]);

    Promise.all([loadPickupPoints(), api('/api/holds'), loadSlots()]).then((answers) => {
      if (!ui.root.isConnected) return;
      state.point = findPoint(answers[0], pointId);
      if (!state.point) {
        ui.root.setAttribute('data-state', 'error');
        form.hidden = true;
        bind(ui.lead, 'slots.unknownPoint');
        return;
      }
      bind(ui.lead, 'slots.at', { point: state.point.name });
      showHolds(Array.isArray(answers[1]) ? answers[1] : []);
      showCalendar(answers[2]);
    }, (error) => {
      if (!ui.root.isConnected) return;
      ui.root.setAttribute('data-state', 'error');
      form.hidden = true;
      append(ui.lead, [el('span', { className: 'form-error shown' }, problemMessage(error))]);
    });

    function loadSlots() {
      return api('/api/pickup-points/' + encodeURIComponent(pointId) + '/slots').then((slots) => (Array.isArray(slots) ? slots : []));
    }

    function zone() {
      return (state.point && state.point.timeZone) || undefined;
    }

    // The holds to collect: those with a copy set aside at this point and no slot yet, ticked when
    // the address names them (or all of them when it names none).
    function showHolds(all) {
      state.holds = bookable(all, pointId);
      const waiting = all.filter((h) => h.status === 'queued' && String(h.pickupPointId) === String(pointId));
      clear(ui.holds);
      if (state.holds.length === 0) {
        ui.holds.appendChild(el('p', { className: 'notice', i18n: 'slots.nothingToCollect' }));
        ui.submit.hidden = true;
      } else {
        ui.holds.appendChild(el('fieldset', { className: 'hold-choice' },
          el('legend', { i18n: 'slots.holds' }),
          state.holds.map((hold) => {
            const box = el('input', { type: 'checkbox', name: 'holdIds', id: 'hold-' + hold.id, value: String(hold.id) });
            box.checked = wanted.length === 0 || wanted.indexOf(String(hold.id)) >= 0;
            const status = holdStatus(hold);
            return el('div', { className: 'choice' }, box,
              el('label', { for: box.id }, el('span', { className: 'choice-name' }, hold.title),
                el('span', { className: 'choice-kind', i18n: status.i18n, args: status.args })));
          })));
      }
      if (waiting.length > 0) {
        ui.holds.appendChild(el('p', { className: 'hint' }, el('span', { i18n: 'slots.waiting' }), ' ',
          waiting.map((h) => h.title).join(' ; ')));
      }
    }

    // Days from the first bookable slot to the last, closed days included (shown as such).
    function showCalendar(slots) {
      state.slots = slots;
      const byDay = {};
      slots.forEach((slot) => {
        const key = localDateKey(slot.start, zone());
        (byDay[key] = byDay[key] || []).push(slot);
      });
      const keys = Object.keys(byDay).sort();
      state.days = [];
      for (let key = keys[0]; key && key <= keys[keys.length - 1]; key = addDays(key, 1)) {
        state.days.push({ key: key, slots: byDay[key] || [] });
      }
      ui.root.setAttribute('data-state', state.days.length ? 'shown' : 'empty');
      if (state.days.length === 0) {
        clear(ui.tabs);
        clear(ui.panel).appendChild(el('p', { i18n: 'slots.none' }));
        return;
      }
      const current = state.days.filter((d) => d.key === state.day)[0];
      const firstOpen = state.days.filter((d) => places(d) > 0)[0] || state.days[0];
      state.day = (current || firstOpen).key;
      if (state.start && !slots.some((s) => s.start === state.start && s.remaining > 0)) state.start = null;
      drawTabs();
      drawDay();
      showChoice();
    }

    function places(day) {
      return day.slots.reduce((sum, s) => sum + Math.max(0, s.remaining), 0);
    }

    function drawTabs() {
      clear(ui.tabs);
      // On a wide screen the days line up as weeks, Monday first (the blanks are hidden on a phone).
      for (let i = 1; i < isoWeekday(state.days[0].key); i++) ui.tabs.appendChild(el('span', { className: 'day-blank', 'aria-hidden': 'true' }));
      state.days.forEach((day, index) => {
        const selected = day.key === state.day;
        const open = day.slots.length > 0;
        const left = places(day);
        const tab = el('button', {
          type: 'button', role: 'tab', id: 'day-' + day.key, className: 'day' + (open ? '' : ' closed') + (open && left === 0 ? ' full' : ''),
          'aria-selected': String(selected), 'aria-controls': 'day-panel', tabindex: selected ? '0' : '-1', 'data-day': day.key,
          onClick: () => select(index, false),
          onKeydown: (event) => move(event, index),
        },
        el('span', { className: 'day-weekday', i18n: 'slots.weekday', args: { d: { day: day.key, style: 'weekday' } } }),
        el('span', { className: 'day-date', i18n: 'slots.dayMonth', args: { d: { day: day.key, style: 'dayMonth' } } }),
        el('span', { className: 'day-places' }, open
          ? (left > 0 ? el('span', { i18n: 'slots.places', args: { n: left } }) : el('span', { i18n: 'slots.full' }))
          : el('span', { i18n: 'slots.closed' })));
        ui.tabs.appendChild(tab);
      });
    }

    // WAI-ARIA tabs: one tab stop; arrows, Home and End move between days and show them.
    function move(event, index) {
      const last = state.days.length - 1;
      const to = { ArrowLeft: index - 1, ArrowUp: index - 1, ArrowRight: index + 1, ArrowDown: index + 1, Home: 0, End: last }[event.key];
      if (to === undefined) return;
      event.preventDefault();
      select(Math.max(0, Math.min(last, to)), true);
    }

    function select(index, focus) {
      state.day = state.days[index].key;
      const tabs = ui.tabs.querySelectorAll('[role=tab]');
      for (let i = 0; i < tabs.length; i++) {
        tabs[i].setAttribute('aria-selected', String(i === index));
        tabs[i].setAttribute('tabindex', i === index ? '0' : '-1');
      }
      if (focus) tabs[index].focus();
      drawDay();
    }

    function drawDay() {
      const day = state.days.filter((d) => d.key === state.day)[0];
      clear(ui.panel).setAttribute('aria-labelledby', 'day-' + day.key);
      if (day.slots.length === 0) {
        append(ui.panel, [el('h3', { i18n: 'slots.dayTitle', args: { d: { day: day.key, style: 'long' } } }),
          el('p', { className: 'muted', i18n: 'slots.dayClosed' })]);
        return;
      }
      ui.panel.appendChild(el('fieldset', { className: 'slot-list' },
        el('legend', { i18n: 'slots.dayTitle', args: { d: { day: day.key, style: 'long' } } }),
        periods(day.slots).map((period) => el('div', { className: 'slot-period' },
          el('h3', { i18n: periodKey(period[0]) }),
          el('div', { className: 'slot-grid' }, period.map(slotChoice))))));
    }

    // Runs of back-to-back slots (10:00–12:00, then 14:00–18:00): a gap starts a new period.
    function periods(slots) {
      const runs = [];
      slots.forEach((slot, i) => {
        if (i === 0 || Date.parse(slots[i - 1].end) !== Date.parse(slot.start)) runs.push([]);
        runs[runs.length - 1].push(slot);
      });
      return runs;
    }

    function periodKey(first) {
      const hour = localHour(first.start, zone());
      return hour < 12 ? 'slots.morning' : hour < 18 ? 'slots.afternoon' : 'slots.evening';
    }

    function slotChoice(slot) {
      const id = 'slot-' + Date.parse(slot.start);
      const full = slot.remaining <= 0;
      const radio = el('input', { type: 'radio', name: 'slotStart', id: id, value: slot.start, disabled: full,
        onChange: () => { state.start = slot.start; showChoice(); } });
      radio.checked = slot.start === state.start;
      return el('div', { className: 'slot' + (full ? ' full' : '') }, radio,
        el('label', { for: id },
          el('span', { className: 'slot-time', i18n: 'slots.range', args: { start: { time: slot.start, zone: zone() }, end: { time: slot.end, zone: zone() } } }),
          el('span', { className: 'slot-places', i18n: full ? 'slots.full' : 'slots.places', args: { n: slot.remaining } })));
    }

    function showChoice() {
      if (state.start) bind(ui.choice, 'slots.chosen', { at: { dateTime: state.start, zone: zone() } });
      else clear(ui.choice).removeAttribute('data-i18n');
    }

    async function book(event) {
      event.preventDefault();
      clear(ui.error);
      clearFieldErrors(form);
      const holdIds = state.holds.filter((h) => {
        const box = document.getElementById('hold-' + h.id);
        return box && box.checked;
      }).map((h) => h.id);
      if (holdIds.length === 0) return refuse('slots.chooseHolds');
      if (!state.start) return refuse('slots.chooseSlot');
      ui.submit.disabled = true;
      bind(ui.submit, 'slots.pending');
      try {
        const appointment = await post({ pickupPointId: state.point.id, slotStart: state.start, holdIds: holdIds });
        ctx.booked(appointment, state.point);
      } catch (failure) {
        // Refused (the slot just filled up, the hold has a slot already…): say why, show the calendar as it is now.
        // The holds are tied to their boxes; a slot refused is redrawn as it is now, so the summary says it.
        if (!refuseForm(form, ui.error, failure, { holdIds: ui.holds.querySelector('fieldset') })) ui.error.focus();
        try {
          showCalendar(await loadSlots());
        } catch (e) {
          // the calendar stays as it was; the message above already says what went wrong
        }
      } finally {
        ui.submit.disabled = false;
        bind(ui.submit, 'slots.book');
      }
    }

    function refuse(key) {
      const field = key === 'slots.chooseHolds' ? ui.holds.querySelector('fieldset') : ui.panel.querySelector('fieldset');
      if (!refuseHere(form, ui.error, field, key)) ui.error.focus();
    }
  }

  return { title: 'slots.title', render: render };
}
