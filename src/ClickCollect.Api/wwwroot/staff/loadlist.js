// The bibliobus load list for a route day: holds to load, grouped by stop in route order, with the
// same print / PDF / CSV as the counter's pick list.
//   GET /api/bibliobuses → routes;  GET /api/load-lists/{route}/{date}[?format=pdf|csv[&dialect=excel]&public=true];  POST …/prints
import { api, problemMessage, withQuery } from '../js/api.js';
import { formatDate } from '../js/dates.js';
import { append, clear, el, field } from '../js/dom.js';
import { lang } from '../js/i18n.js';

const COLUMNS = ['counter.col.tick', 'counter.col.call', 'counter.col.title', 'counter.col.barcode', 'counter.col.patron', 'counter.col.bag'];

// data-label: the column's name, shown before the value when a narrow screen stacks the table (#19).
function cell(column, props, ...children) {
  return el('td', Object.assign({ i18nAttrs: { 'data-label': COLUMNS[column] } }, props), ...children);
}

export function loadListView(hashBase) {
  let ui = null;

  async function render(main, params) {
    const buses = await api('/api/bibliobuses').catch(() => []);
    const route = el('select', { name: 'route' }, buses.map((b) => b.routes.map((r) => el('option', { value: r.id }, b.name + ' — ' + r.name))));
    const date = el('input', { type: 'date', name: 'date', required: true });
    ui = { route: route, date: date, list: el('section', { className: 'pick-list' }) };
    append(clear(main), [
      el('h1', { className: 'no-print', i18n: 'load.title' }),
      el('form', { className: 'search-form counter-form no-print', onSubmit: choose },
        field('load-route', 'load.route', route), field('load-date', 'counter.date', date),
        el('button', { type: 'submit', className: 'primary', i18n: 'counter.show' })),
      ui.list,
    ]);
    update(params);
  }

  function choose(event) {
    event.preventDefault();
    window.location.hash = withQuery(hashBase, { route: ui.route.value, date: ui.date.value });
  }

  async function update(params) {
    ui.route.value = params.get('route') || ui.route.value;
    ui.date.value = params.get('date') || new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(new Date());
    const base = '/api/load-lists/' + ui.route.value + '/' + ui.date.value;
    let list;
    try {
      list = await api(base);
    } catch (error) {
      append(clear(ui.list), [el('div', { className: 'error-box', role: 'alert' }, problemMessage(error))]);
      return;
    }
    const print = async () => {
      await api(base + '/prints', { method: 'POST', body: { public: false } }).catch(() => null);
      window.print();
    };
    append(clear(ui.list), [
      el('h2', {}, el('span', { i18n: 'load.list' }), ' — ', list.placeName, ' — ', formatDate(list.date + 'T12:00:00Z', lang(), list.timeZone)),
      el('p', { className: 'lead', i18n: 'load.summary', args: { n: list.lineCount, stops: list.groups.length } }),
      el('p', { className: 'actions no-print' },
        el('button', { type: 'button', onClick: print, i18n: 'counter.print' }), ' ',
        el('a', { href: base + '?format=pdf', i18n: 'counter.pdf' }), ' · ',
        el('a', { href: base + '?format=pdf&public=true', i18n: 'counter.pdfPublic' }), ' · ',
        el('a', { href: base + '?format=csv', i18n: 'counter.csv' }), ' · ',
        el('a', { href: base + '?format=csv&dialect=excel', i18n: 'counter.csvExcel', i18nAttrs: { title: 'counter.csvExcelHint' } })),
      list.groups.length === 0 ? el('p', { i18n: 'load.empty' }) : null,
      list.groups.map((group, i) => el('div', { className: 'table-wrap' }, el('table', { className: 'pick-table' },
        el('caption', {}, (i + 1) + '. ' + group.name, ' — ', el('span', { i18n: 'counter.copies', args: { n: group.lines.length } })),
        el('thead', {}, el('tr', {}, COLUMNS.map((k) => el('th', { scope: 'col', i18n: k })))),
        el('tbody', {}, group.lines.map((line) => el('tr', { className: line.picked ? 'picked' : '' },
          cell(0, { className: 'tick' }, line.picked ? '☑' : '☐'),
          cell(1, { className: 'call' }, line.callNumber, el('br'), el('small', {}, line.shelfLocation)), // as on the PDF
          cell(2, {}, el('strong', {}, line.title), el('br'), line.author),
          cell(3, {}, line.barcode),
          cell(4, {}, line.patronName, el('br'), el('small', {}, line.patronCardNumber)),
          cell(5, {}, el('strong', {}, line.bagLabel), el('br'), line.slotStart ? line.slotLabel : el('span', { i18n: 'pick.noSlot' })))))))),
    ]);
  }

  return { title: 'load.title', render: render, update: update };
}
