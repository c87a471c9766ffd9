// The staff title page (#/titre/42, issue 10 item 3): what the document is, every copy with its branch,
// shelf, call number, barcode and status, how many holds wait for it, and "reserve for a patron"
// (a card number and a pickup point; the hold is placed on the phone channel, as from the patron record).
//   GET /api/titles/{id} (staff: copies with shelf details, queueLength) · GET /api/pickup-points
//   POST /api/holds { titleId, pickupPointId, patronCardNumber }
import { api, idempotentPost } from '../js/api.js';
import { append, clear, el, field } from '../js/dom.js';
import { clearFieldErrors, refuse } from '../js/field-errors.js';
import '../js/counter-strings.js';

const COPY_COLUMNS = ['stitle.col.branch', 'stitle.col.shelf', 'stitle.col.call', 'stitle.col.barcode', 'stitle.col.status'];

// me(): the signed-in staff member, whose own pickup point is offered first.
export function staffTitleView(me) {
  async function render(main, params, path) {
    const id = /^\d+$/.test(path[0] || '') ? path[0] : null;
    const back = el('p', { className: 'back' }, el('a', { href: '#/catalogue', i18n: 'stitle.back' }));
    let title;
    try {
      if (!id) throw new Error('no id');
      title = await api('/api/titles/' + id);
    } catch (error) {
      append(clear(main), [back, el('h1', { i18n: 'title.notFound' }), el('p', { i18n: 'title.notFoundHint' })]);
      return;
    }
    const points = await api('/api/pickup-points').catch(() => []);
    append(clear(main), [
      back,
      el('h1', {}, title.title),
      el('p', { className: 'lead' }, [title.authors.join(' ; '), title.publisher, title.year].filter(Boolean).join(' — ')),
      el('p', {}, el('span', { i18n: 'format.' + title.format }), ' · ', el('span', { i18n: 'audience.' + title.audience }),
        title.isbn ? ' · ISBN ' + title.isbn : '', ' · ', el('span', { i18n: 'stitle.record', args: { id: title.recordId } })),
      el('p', { className: 'queue', i18n: 'stitle.queue', args: { n: title.queueLength || 0 } }),
      copiesTable(title.copies),
      reserveForm(title, points),
    ]);
  }

  function copiesTable(copies) {
    if (!copies.length) return el('p', { i18n: 'stitle.noCopies' });
    return el('div', { className: 'table-wrap' }, el('table', { className: 'copies' },
      el('caption', { i18n: 'stitle.copies', args: { n: copies.length } }),
      el('thead', {}, el('tr', {}, COPY_COLUMNS.map((k) => el('th', { scope: 'col', i18n: k })))),
      el('tbody', {}, copies.map((c) => el('tr', { className: 'copy-' + c.status },
        // Each cell names its column, shown before it when a phone or 200 % zoom stacks the table into cards (#19).
        [c.branchName, c.shelfLocation || '', c.callNumber || '', c.barcode || ''].map((text, i) => el('td', { i18nAttrs: { 'data-label': COPY_COLUMNS[i] } }, text)),
        el('td', { i18nAttrs: { 'data-label': COPY_COLUMNS[4] }, i18n: 'stitle.status.' + c.status, args: { fallback: c.status } }))))));
  }

  function reserveForm(title, points) {
    const card = el('input', { type: 'text', autocomplete: 'off', required: true, maxlength: '40' });
    // The member's own pickup point, else the first counter (not a bibliobus stop).
    const counter = points.filter((p) => p.kind === 'counter')[0];
    const home = (me && me() && me().homePickupPointId) || (counter && counter.id);
    const point = el('select', {}, points.map((p) => el('option', { value: p.id, selected: p.id === home }, p.name)));
    const out = el('div', { 'aria-live': 'polite' });
    const error = el('div', { className: 'form-error', 'aria-live': 'assertive' });
    const post = idempotentPost('/api/holds');
    const form = el('form', { className: 'search-form reserve-for' },
      el('h2', { i18n: 'stitle.reserve' }),
      field('stitle-card', 'stitle.card', card, 'stitle.cardHint'), field('stitle-point', 'stitle.point', point),
      error, el('button', { type: 'submit', className: 'primary', i18n: 'stitle.reserveButton' }), out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clear(error);
      clearFieldErrors(form);
      try {
        const hold = await post({ titleId: title.id, pickupPointId: Number(point.value), patronCardNumber: card.value.trim() });
        append(clear(out), [el('p', { className: 'notice', role: 'status' },
          el('span', { i18n: hold.status === 'queued' ? 'stitle.reservedQueued' : 'stitle.reserved',
            args: { card: hold.patronCardNumber, place: hold.pickupPointName, n: hold.queuePosition || 0 } }), ' ',
          el('a', { href: '#/lecteur/' + encodeURIComponent(hold.patronCardNumber), i18n: 'stitle.openRecord' }))]);
      } catch (failure) {
        clear(out);
        refuse(form, error, failure, { patronCardNumber: card, pickupPointId: point, patron_blocked: card });
      }
    });
    return form;
  }

  return { title: 'stitle.pageTitle', render: render };
}
