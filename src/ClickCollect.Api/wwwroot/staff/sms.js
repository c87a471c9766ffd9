// The SMS outbox: every message queued for a patron, with what became of it. Without an SMS provider
// (the default) nothing is sent, and this list says whom to phone instead.
//   GET /api/sms-outbox?status=&patronCardNumber=&kind=  → [{ id, kind, body, status, reason, toNumber,
//       attempts, createdAt, nextAttemptAt, sentAt, patronCardNumber, patronName, … }]
// The filters live in the address ("#/sms?status=notConfigured").
import { api, withQuery } from '../js/api.js';
import { append, clear, el, field } from '../js/dom.js';
import { clearFieldErrors, refuse } from '../js/field-errors.js';
import { bind } from '../js/i18n.js';
import { displayPhone } from '../js/phone.js';

const STATUSES = ['pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'skipped', 'notConfigured'];
const KINDS = ['holdReady', 'holdExpiring', 'copyNotFound', 'appointmentBooked', 'appointmentCancelled', 'appointmentReminder',
  'overdueReminder', 'lockdownAnnouncement'];
const FILTERS = ['status', 'patronCardNumber', 'kind'];
const COLUMNS = ['sms.when', 'patrons.card', 'sms.patron', 'sms.phone', 'sms.kind', 'sms.body', 'sms.status', 'sms.reason'];

function choices(values, prefix, anyKey) {
  return [el('option', { value: '', i18n: anyKey })].concat(values.map((v) => el('option', { value: v, i18n: prefix + v })));
}

export function smsView(hashBase) {
  let ui = null;
  let latest = 0;

  function render(main, params) {
    const controls = {
      status: el('select', { name: 'status' }, choices(STATUSES, 'smsStatus.', 'sms.anyStatus')),
      patronCardNumber: el('input', { type: 'text', name: 'patronCardNumber', autocomplete: 'off', spellcheck: 'false' }),
      kind: el('select', { name: 'kind' }, choices(KINDS, 'smsKind.', 'sms.anyKind')),
    };
    const form = el('form', { className: 'search-form sms-filters', onSubmit: submit },
      el('div', { className: 'filters' },
        field('sms-status', 'sms.status', controls.status),
        field('sms-card', 'sms.card', controls.patronCardNumber),
        field('sms-kind', 'sms.kind', controls.kind)),
      el('button', { type: 'submit', className: 'primary', i18n: 'sms.filter' }));
    ui = {
      root: el('section', { className: 'sms', 'data-state': 'loading' }),
      form: form,
      controls: controls,
      status: el('div', { className: 'result-status', 'aria-live': 'polite' }),
      results: el('div', { className: 'table-wrap' }),
    };
    clear(main).appendChild(ui.root);
    append(ui.root, [el('h1', { i18n: 'sms.title' }), el('p', { className: 'intro', i18n: 'sms.intro' }),
      el('p', {}, el('a', { href: '#/sigb', i18n: 'ils.link' })), form, ui.status, ui.results]);
    update(params);
  }

  function submit(event) {
    event.preventDefault();
    const query = {};
    FILTERS.forEach((name) => { query[name] = ui.controls[name].value.trim(); });
    const hash = withQuery(hashBase, query);
    if (window.location.hash === hash) update(new URLSearchParams(hash.split('?')[1] || ''));
    else window.location.hash = hash;
  }

  async function update(params) {
    const query = {};
    FILTERS.forEach((name) => {
      query[name] = params.get(name) || '';
      ui.controls[name].value = query[name];
    });
    const request = ++latest;
    setState('loading');
    clearFieldErrors(ui.form);
    bind(ui.status, 'sms.loading');
    clear(ui.results);
    let rows;
    try {
      rows = await api(withQuery('/api/sms-outbox', query));
    } catch (error) {
      if (request !== latest) return;
      setState('error');
      // A filter refused (an unknown card): said, and tied to its field by the field's name (#19).
      if (error.status === 400) refuse(ui.form, ui.status, error);
      else append(clear(ui.status), [el('span', { i18n: 'sms.error' })]);
      return;
    }
    if (request !== latest) return;
    setState(rows.length ? 'results' : 'empty');
    bind(ui.status, rows.length ? 'sms.count' : 'sms.none', { n: rows.length });
    if (rows.length) ui.results.appendChild(table(rows));
  }

  function setState(state) {
    ui.root.setAttribute('data-state', state);
    ui.status.className = 'result-status' + (state === 'error' ? ' error' : '');
  }

  return { title: 'sms.title', render: render, update: update };
}

function table(rows) {
  return el('table', {}, el('caption', { className: 'visually-hidden', i18n: 'caption.sms' }),
    el('thead', {}, el('tr', {}, COLUMNS.map((key) => el('th', { scope: 'col', i18n: key })))),
    el('tbody', {}, rows.map((r) => el('tr', { 'data-status': r.status },
      cell(0, { i18n: 'sms.at', args: { at: { dateTime: r.createdAt } } }),
      cell(1, {}, r.patronCardNumber || ''),
      cell(2, {}, r.patronName || ''),
      cell(3, {}, displayPhone(r.toNumber)),
      cell(4, { i18n: 'smsKind.' + r.kind, args: { fallback: r.kind } }),
      cell(5, { className: 'sms-body' }, r.body),
      cell(6, { className: 'sms-status', i18n: 'smsStatus.' + r.status, args: { fallback: r.status } }),
      cell(7, {}, r.status === 'notConfigured' ? '' : r.reason || '')))));
}

// data-label: the column's name, shown before the value when a phone stacks the table.
function cell(column, props, text) {
  return el('td', Object.assign({ i18nAttrs: { 'data-label': COLUMNS[column] } }, props), text);
}
