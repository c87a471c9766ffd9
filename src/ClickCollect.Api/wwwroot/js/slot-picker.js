// Choosing a slot with the keyboard alone: a list of the days that have bookable slots, then that
// day's slots with the places left (full ones shown, not choosable). Used to book and to move
// appointments, by staff and by patrons. Days are the branch's (the server's calendar, not the PC's).
//   GET /api/pickup-points/{id}/slots → [{ start, end, capacity, booked, remaining }] (the bookable horizon)
import { api } from './api.js';
import { localDateKey } from './dates.js';
import { el, field } from './dom.js';
import { bind } from './i18n.js';

export function slotPicker(prefix, pointId) {
  const day = el('select', {});
  const select = el('select', {});
  let slots = [];
  let latest = 0;

  async function refresh() {
    const request = ++latest;
    day.replaceChildren(bind(el('option', { value: '' }), 'slotPicker.loading'));
    select.replaceChildren();
    let loaded = [];
    try {
      if (pointId()) loaded = await api('/api/pickup-points/' + pointId() + '/slots');
    } catch (error) {
      loaded = [];
    }
    if (request !== latest) return;
    slots = loaded;
    const days = slots.map((slot) => localDateKey(slot.start)).filter((key, i, all) => all.indexOf(key) === i);
    day.replaceChildren();
    if (!days.length) day.appendChild(bind(el('option', { value: '' }), 'slotPicker.none'));
    days.forEach((key) => day.appendChild(bind(el('option', { value: key }), 'slotPicker.day', { day: { day: key, style: 'weekdayMonth' } })));
    drawSlots();
  }

  function drawSlots() {
    select.replaceChildren();
    const ofDay = slots.filter((slot) => localDateKey(slot.start) === day.value);
    ofDay.forEach((slot) => select.appendChild(bind(el('option', { value: slot.start, disabled: slot.remaining <= 0 }),
      slot.remaining > 0 ? 'slotPicker.option' : 'slotPicker.full',
      { start: { time: slot.start }, end: { time: slot.end }, n: slot.remaining })));
    const first = ofDay.filter((slot) => slot.remaining > 0)[0];
    if (first) select.value = first.start;
  }

  day.addEventListener('change', drawSlots);
  return {
    node: el('div', { className: 'inline-fields slot-picker' }, field(prefix + '-day', 'slotPicker.date', day), field(prefix + '-slot', 'slotPicker.slot', select)),
    refresh: refresh,
    value: () => select.value,
    select: select, // the slot's own control, for a refusal to be tied to (#19, RGAA 11.10)
  };
}
