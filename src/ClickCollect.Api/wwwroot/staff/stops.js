// Editing a bibliobus stop (issue 11): name, address, place on the route, weekly visits
// (PUT /api/stops/{id}, the schedule replaced), and dated exceptions — a visit cancelled or moved on
// one date (PUT /api/stops/{id}/exceptions, DELETE …/exceptions/{date}). The API audits each change.
import { api } from '../js/api.js';
import { append, el, field } from '../js/dom.js';
import { t } from '../js/i18n.js';
import { editTable, editor, hhmm, input, labelRow, rowFields, status, weekdaySelect } from './net-forms.js';

const VISIT_COLUMNS = ['net.weekdayCol', 'net.arrives', 'net.departs', 'net.action'];

// The weekly visits table; returns { table, read, name } where read() gives the schedule typed in and
// name() tags its controls "schedule[i].…" for a refusal to find them.
export function visitsTable(visits, suffix) {
  const body = el('tbody', {});
  const add = (v) => {
    const tr = el('tr', {}, el('td', {}, weekdaySelect(v.weekday)), el('td', {}, input('time', hhmm(v.arrivesAt), { required: true })),
      el('td', {}, input('time', hhmm(v.departsAt), { required: true })),
      el('td', {}, el('button', { type: 'button', className: 'secondary', i18n: 'net.remove', onclick: () => tr.remove() })));
    labelRow(tr, VISIT_COLUMNS, suffix);
    body.appendChild(tr);
  };
  visits.forEach(add);
  return {
    table: el('div', {}, editTable('net.visits', VISIT_COLUMNS, body),
      el('button', { type: 'button', className: 'secondary', i18n: 'net.addVisit', onclick: () => add({ weekday: 2, arrivesAt: '10:00', departsAt: '11:00' }) })),
    read: () => Array.prototype.map.call(body.children, (tr) => {
      const c = tr.querySelectorAll('select, input');
      return { weekday: Number(c[0].value), arrivesAt: c[1].value, departsAt: c[2].value };
    }),
    name: () => rowFields(body, 'schedule', ['weekday', 'arrivesAt', 'departsAt']),
  };
}

// The collapsed editor of one stop; onSaved reloads the bibliobus section.
export function stopEditor(stop, onSaved) {
  const id = 'stop-' + stop.id;
  const name = input('text', stop.name, { required: true, maxlength: '200' });
  const address = input('text', stop.address, { maxlength: '300' });
  const position = input('number', stop.position, { min: '1', required: true });
  const visits = visitsTable(stop.schedule, stop.name);
  const result = el('div', { 'aria-live': 'polite' });
  const form = el('form', { className: 'net-stop-edit' },
    el('div', { className: 'inline-fields' }, field(id + '-name', 'net.stopName', name), field(id + '-address', 'net.stopAddress', address),
      field(id + '-position', 'net.position', position)),
    visits.table, el('button', { type: 'submit', className: 'primary', i18n: 'net.save' }), result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    visits.name();
    try {
      await api('/api/stops/' + stop.id, { method: 'PUT',
        body: { name: name.value, address: address.value, position: Number(position.value), schedule: visits.read() } });
      await onSaved('net.saved');
    } catch (error) {
      status(result, error, form, { name: name, address: address, position: position, schedule: visits.table });
    }
  });
  return editor('stops.edit', { stop: stop.name }, form, exceptions(stop, id, onSaved));
}

function exceptions(stop, id, onSaved) {
  const date = input('date', '', { required: true });
  const kind = el('select', {}, ['cancelled', 'changed'].map((k) => el('option', { value: k, i18n: 'stops.kind.' + k })));
  const arrives = input('time', '');
  const departs = input('time', '');
  const note = input('text', '', { maxlength: '300' });
  const result = el('div', { 'aria-live': 'polite' });
  const form = el('form', { className: 'inline-fields' },
    field(id + '-exc-date', 'stops.date', date), field(id + '-exc-kind', 'stops.kind', kind),
    field(id + '-exc-arrives', 'net.arrives', arrives, 'stops.timesHint'), field(id + '-exc-departs', 'net.departs', departs),
    field(id + '-exc-note', 'stops.note', note),
    el('div', { className: 'field' }, el('button', { type: 'submit', className: 'primary', i18n: 'stops.addException' })), result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api('/api/stops/' + stop.id + '/exceptions', { method: 'PUT', body: { date: date.value, kind: kind.value,
        arrivesAt: arrives.value || null, departsAt: departs.value || null, note: note.value || null } });
      await onSaved('stops.exceptionSaved');
    } catch (error) {
      status(result, error, form, { date: date, kind: kind, arrivesAt: arrives, departsAt: departs, note: note });
    }
  });
  const list = stop.exceptions.length ? el('ul', { className: 'closure-list' }, stop.exceptions.map((x) => el('li', {},
    x.date + ' — ' + t('stops.kind.' + x.kind) + (x.kind === 'changed' ? ' ' + hhmm(x.arrivesAt) + '–' + hhmm(x.departsAt) : '') +
      (x.note ? ' — ' + x.note : '') + ' ',
    el('button', { type: 'button', className: 'secondary', i18n: 'net.remove', 'aria-label': t('stops.removeException', { date: x.date }),
      onclick: async () => {
        await api('/api/stops/' + stop.id + '/exceptions/' + x.date, { method: 'DELETE' });
        await onSaved('net.saved');
      } })))) : el('p', { className: 'muted', i18n: 'stops.noExceptions' });
  return append(el('div', { className: 'stop-exceptions' }), [el('h5', { i18n: 'stops.exceptions' }), list, form]);
}
