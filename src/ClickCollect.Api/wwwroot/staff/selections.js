// Surprise selections, the librarians' queue and the phone desk's request form.
//   GET /api/selection-requests?pickupPointId=  → the waiting requests, oldest first
//   GET /api/pickup-points                      → the filter
// The filter lives in the address ("#/selections?pickupPointId=2").
import '../js/selection-strings.js';
import { api, withQuery } from '../js/api.js';
import { clear, el, field } from '../js/dom.js';
import { bind } from '../js/i18n.js';
import { selectionForm } from '../js/selection-form.js';

const COLUMNS = ['sel.col.number', 'sel.col.received', 'sel.col.patron', 'sel.col.pickup', 'sel.col.count', 'sel.col.tastes', 'sel.col.state'];

export function queueView(hashBase) {
  let ui = null;
  let latest = 0;

  function render(main, params) {
    const pickup = el('select', { name: 'pickupPointId' }, el('option', { value: '', i18n: 'sel.queue.all' }));
    ui = {
      root: el('section', { className: 'selections', 'data-state': 'loading' }),
      pickup: pickup,
      status: el('p', { className: 'result-status', 'aria-live': 'polite' }),
      table: el('div', { className: 'table-wrap' }),
    };
    const form = el('form', { className: 'search-form queue-filter', onSubmit: submit },
      field('sel-queue-pickup', 'sel.queue.pickupPoint', pickup),
      el('button', { type: 'submit', className: 'secondary', i18n: 'sel.queue.show' }));
    clear(main).appendChild(ui.root);
    [el('h1', { i18n: 'sel.queue.title' }), el('p', { className: 'intro', i18n: 'sel.queue.intro' }),
      el('p', {}, el('a', { href: '#/demande-selection', className: 'button-link', i18n: 'sel.queue.new' })),
      form, ui.status, ui.table].forEach((node) => ui.root.appendChild(node));
    api('/api/pickup-points').then((points) => {
      (Array.isArray(points) ? points : []).forEach((p) => pickup.appendChild(el('option', { value: String(p.id) }, p.name)));
      pickup.value = params.get('pickupPointId') || '';
    }, () => {});
    update(params);
  }

  function submit(event) {
    event.preventDefault();
    const hash = withQuery(hashBase, { pickupPointId: ui.pickup.value });
    if (window.location.hash === hash) update(new URLSearchParams(hash.split('?')[1] || ''));
    else window.location.hash = hash;
  }

  async function update(params) {
    const request = ++latest;
    ui.root.setAttribute('data-state', 'loading');
    bind(ui.status, 'sel.queue.loading');
    let rows;
    try {
      rows = await api(withQuery('/api/selection-requests', { pickupPointId: params.get('pickupPointId') }));
    } catch (error) {
      if (request !== latest) return;
      ui.root.setAttribute('data-state', 'error');
      bind(ui.status, 'sel.error');
      return;
    }
    if (request !== latest) return;
    ui.root.setAttribute('data-state', rows.length ? 'results' : 'empty');
    bind(ui.status, 'sel.queue.count', { n: rows.length });
    clear(ui.table);
    if (rows.length) ui.table.appendChild(table(rows));
  }

  return { title: 'sel.queue.title', render: render, update: update };
}

function table(rows) {
  return el('table', { className: 'queue' }, el('caption', { className: 'visually-hidden', i18n: 'caption.selectionQueue' }),
    el('thead', {}, el('tr', {}, COLUMNS.map((key) => el('th', { scope: 'col', i18n: key })))),
    el('tbody', {}, rows.map((r) => el('tr', { 'data-id': String(r.id) },
      cell(0, el('a', { href: '#/selection?id=' + r.id, i18n: 'sel.openNumber', args: { id: r.id } })),
      cell(1, el('span', { i18n: 'sel.at', args: { at: { dateTime: r.createdAt } } })),
      cell(2, r.patronFirstName + ' (' + r.patronCardNumber + ')'),
      cell(3, r.pickupPointName),
      cell(4, String(r.count)),
      cell(5, tastes(r)),
      cell(6, state(r))))));
}

// data-label: the column's name, shown before the value when a phone stacks the table.
function cell(column, content) {
  return el('td', { i18nAttrs: { 'data-label': COLUMNS[column] } }, content);
}

// Genres in the page's language, then the authors and titles as the patron wrote them.
export function tastes(r) {
  const parts = r.genres.map((g) => el('span', { i18n: 'names.genre', args: { genre: { genre: g } } }))
    .concat(r.likedAuthors, r.likedTitles);
  return parts.length ? el('span', {}, parts.map((part, i) => [i ? ', ' : null, part])) : '—';
}

export function state(r) {
  const node = el('span', { className: 'state state-' + r.status, i18n: 'sel.status.' + r.status });
  if (r.status !== 'claimed' && r.status !== 'proposed') return node;
  return el('span', {}, node, el('br'),
    el('span', { className: 'muted', i18n: 'sel.claimedBy', args: { name: r.claimedByName || '', until: { time: r.claimedUntil } } }));
}

// The phone desk: the shared form, for a patron named by card.
export function phoneRequestView() {
  function render(main, params) {
    const status = el('div', { className: 'notice', role: 'status', hidden: true });
    clear(main);
    [el('h1', { i18n: 'sel.form.staffTitle' }), el('p', { className: 'intro', i18n: 'sel.form.introStaff' }), status,
      selectionForm({
        staff: true,
        cardNumber: params.get('card') || '',
        sent: (answer, body) => {
          clear(status);
          status.appendChild(el('span', { i18n: 'sel.form.sentStaff', args: { id: answer.id, card: body.patronCardNumber } }));
          status.appendChild(document.createTextNode(' '));
          status.appendChild(el('a', { href: '#/selection?id=' + answer.id, i18n: 'sel.form.openIt' }));
          status.hidden = false;
        },
      })].forEach((node) => main.appendChild(node));
  }
  return { title: 'sel.form.staffTitle', render: render };
}
