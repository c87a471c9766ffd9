// "Mes données" (issue 16 item 2): the readable page of everything the library holds about the signed-in
// patron, the same answer as the JSON file "Vos données" downloads: loans and reservations with their
// titles, then every table that mentions them with its number of rows.
//   GET /api/patrons/me/export → { loans: [{ title, authors, loanedOn, returnedOn }], reservations: [{ title, status, createdAt }], tables: { name: [rows] } }
import { api, problemMessage } from './api.js';
import { append, clear, el } from './dom.js';
import './privacy-strings.js';

export function accountDataView() {
  async function render(main) {
    const body = el('div', { 'aria-live': 'polite' });
    append(clear(main), [el('h1', { i18n: 'privacy.data.title' }), el('p', {}, el('a', { href: '#/compte', i18n: 'privacy.data.back' })), body]);
    let data;
    try {
      data = await api('/api/patrons/me/export');
    } catch (error) {
      append(body, [el('div', { className: 'error-box', role: 'alert' }, problemMessage(error))]);
      return;
    }
    const table = (id, columns, rows, cells) => (rows.length
      ? el('div', { className: 'table-wrap' }, el('table', { id: id, 'aria-labelledby': id + '-h' },
        el('thead', {}, el('tr', {}, columns.map((k) => el('th', { scope: 'col', i18n: k })))),
        el('tbody', {}, rows.map((r) => el('tr', {}, cells(r).map((cell, i) => el('td', { i18nAttrs: { 'data-label': columns[i] } }, cell)))))))
      : el('p', { id: id, i18n: 'privacy.data.none' }));
    const date = (value, key) => el('span', { i18n: key || 'privacy.data.at', args: { at: { date: value } } });
    const names = Object.keys(data.tables || {});
    append(body, [
      el('h2', { id: 'data-loans-h', i18n: 'privacy.data.loans' }),
      table('data-loans', ['privacy.col.title', 'privacy.col.authors', 'privacy.col.loanedOn', 'privacy.col.returnedOn'], data.loans,
        (l) => [l.title, l.authors, date(l.loanedOn), l.returnedOn ? date(l.returnedOn) : el('span', { i18n: 'privacy.notReturned' })]),
      el('h2', { id: 'data-holds-h', i18n: 'privacy.data.holds' }),
      table('data-holds', ['privacy.col.title', 'privacy.col.status', 'privacy.col.createdAt'], data.reservations,
        (h) => [h.title, el('span', { i18n: 'hold.status.' + h.status, args: { fallback: h.status } }), date(h.createdAt)]),
      el('h2', { i18n: 'privacy.data.tables' }),
      el('ul', { id: 'data-tables' }, names.map((name) => el('li', { i18n: 'privacy.data.rows', args: { name: name, n: data.tables[name].length } }))),
    ]);
  }
  return { title: 'privacy.data.title', render: render };
}
