// Patron search for the phone desk and the counter.
//   GET /api/patrons?q=  → [{ cardNumber, firstName, lastName, phone, email, smsConsent, … }]
// The search lives in the address ("#/lecteurs?q=dupont").
import { api, withQuery } from '../js/api.js';
import { clear, el, field } from '../js/dom.js';
import { bind } from '../js/i18n.js';
import { displayPhone } from '../js/phone.js';

const COLUMNS = ['patrons.card', 'patrons.name', 'patrons.phone', 'patrons.email', 'patrons.sms'];

// The privacy pages hang off the patrons' page (the navigation row has no room left at 1280 px):
// erasure requests for counter staff and directors, the access log for directors only.
function privacyLinks(staff) {
  const role = staff && staff.role;
  const links = [];
  if (role === 'counter' || role === 'director') links.push(el('a', { href: '#/effacements', i18n: 'staff.nav.erasures' }));
  if (role === 'director') links.push(el('a', { href: '#/journal-acces', i18n: 'staff.nav.accessLog' }));
  return links.length ? el('p', { className: 'privacy-links' }, ...links.flatMap((a, i) => (i ? [' · ', a] : [a]))) : null;
}

export function patronsView(hashBase, currentStaff) {
  let ui = null;
  let latest = 0;

  function render(main, params) {
    const q = el('input', { type: 'search', name: 'q', required: true, autocomplete: 'off', spellcheck: 'false' });
    const form = el('form', { className: 'search-form patron-search', role: 'search', onSubmit: submit },
      field('patrons-q', 'patrons.q', q),
      el('button', { type: 'submit', className: 'primary', i18n: 'patrons.search' }));
    ui = {
      root: el('section', { className: 'patrons', 'data-state': 'idle' }),
      q: q,
      status: el('p', { className: 'result-status', 'aria-live': 'polite' }),
      results: el('div', { className: 'table-wrap' }),
    };
    clear(main).appendChild(ui.root);
    [el('h1', { i18n: 'patrons.title' }), el('p', { className: 'intro', i18n: 'patrons.intro' }), privacyLinks(currentStaff && currentStaff()),
      form, ui.status, ui.results]
      .filter(Boolean).forEach((node) => ui.root.appendChild(node));
    update(params);
  }

  function submit(event) {
    event.preventDefault();
    const hash = withQuery(hashBase, { q: ui.q.value.trim() });
    if (window.location.hash === hash) update(new URLSearchParams(hash.split('?')[1] || ''));
    else window.location.hash = hash;
  }

  async function update(params) {
    const q = params.get('q') || '';
    ui.q.value = q;
    clear(ui.results);
    if (!q) {
      ui.root.setAttribute('data-state', 'idle');
      clear(ui.status);
      return;
    }
    const request = ++latest;
    setState('loading');
    bind(ui.status, 'patrons.loading');
    let patrons;
    try {
      patrons = await api(withQuery('/api/patrons', { q: q }));
    } catch (error) {
      if (request !== latest) return;
      setState('error');
      bind(ui.status, 'patrons.error');
      return;
    }
    if (request !== latest) return;
    setState(patrons.length ? 'results' : 'empty');
    bind(ui.status, patrons.length ? 'patrons.count' : 'patrons.none', { n: patrons.length });
    if (patrons.length) ui.results.appendChild(table(patrons));
  }

  function setState(state) {
    ui.root.setAttribute('data-state', state);
    ui.status.className = 'result-status' + (state === 'error' ? ' error' : '');
  }

  return { title: 'patrons.title', render: render, update: update };
}

function table(patrons) {
  return el('table', {}, el('caption', { className: 'visually-hidden', i18n: 'caption.patrons' }),
    el('thead', {}, el('tr', {}, COLUMNS.map((key) => el('th', { scope: 'col', i18n: key })))),
    el('tbody', {}, patrons.map((p) => el('tr', {},
      cell(0, p.cardNumber),
      el('td', { i18nAttrs: { 'data-label': COLUMNS[1] } }, el('a', { href: '#/lecteur/' + encodeURIComponent(p.cardNumber) }, (p.lastName + ' ' + p.firstName).trim())),
      cell(2, displayPhone(p.phone)),
      cell(3, p.email || ''),
      el('td', { i18n: p.smsConsent ? 'yes' : 'no', i18nAttrs: { 'data-label': COLUMNS[4] } })))));
}

// data-label: the column's name, shown before the value when a phone stacks the table.
function cell(column, text) {
  return el('td', { i18nAttrs: { 'data-label': COLUMNS[column] } }, text);
}
