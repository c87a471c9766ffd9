// The staff access log (issue 16 item 3), for directors only: who opened, exported or erased which
// patron's record, when and from which page, newest first (entries are kept a year). An erased patron
// appears by internal id only.
//   GET /api/patron-access-log?patronCardNumber=&limit= → [{ occurredAt, staffName, patronId, cardNumber, action, page }]
import { api, withQuery } from '../js/api.js';
import { append, clear, el, field } from '../js/dom.js';
import { refuse } from '../js/field-errors.js';
import '../js/privacy-strings.js';

export function accessLogView(isDirector) {
  async function render(main, params) {
    clear(main);
    main.appendChild(el('h1', { i18n: 'accessLog.title' }));
    if (!isDirector()) {
      main.appendChild(el('p', { className: 'notice', i18n: 'accessLog.directorOnly' }));
      return;
    }
    const card = el('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', value: (params && params.get('carte')) || '' });
    const body = el('div', { 'aria-live': 'polite' });
    const form = el('form', { className: 'inline-form', role: 'search', onSubmit: (event) => {
      event.preventDefault();
      location.hash = card.value.trim() ? '#/journal-acces?carte=' + encodeURIComponent(card.value.trim()) : '#/journal-acces';
    } }, field('access-card', 'accessLog.card', card, 'accessLog.cardHint'), el('button', { type: 'submit', i18n: 'accessLog.filter' }));
    append(main, [el('p', { className: 'intro', i18n: 'accessLog.intro' }), form, body]);
    let entries;
    try {
      entries = await api(withQuery('/api/patron-access-log', { patronCardNumber: card.value.trim() || undefined, limit: 500 }));
    } catch (error) {
      const box = body.appendChild(el('div', { className: 'error-box', role: 'alert' }));
      refuse(form, box, error, { patronCardNumber: card, not_found: card }); // an unknown card, tied to its field (#19)
      return;
    }
    if (!entries.length) {
      body.appendChild(el('p', { className: 'lead', i18n: 'accessLog.none' }));
      return;
    }
    const label = (column) => ({ 'data-label': 'accessLog.col.' + column }); // the column's name beside each cell on a phone
    const who = (e) => (e.cardNumber && e.cardNumber.charAt(0) !== '~' ? e.cardNumber : '#' + e.patronId);
    body.appendChild(el('div', { className: 'table-wrap' }, el('table', { className: 'access-log' },
      el('caption', { i18n: 'accessLog.caption', args: { n: entries.length } }),
      el('thead', {}, el('tr', {}, ['accessLog.col.when', 'accessLog.col.staff', 'accessLog.col.patron', 'accessLog.col.action', 'accessLog.col.page']
        .map((k) => el('th', { scope: 'col', i18n: k })))),
      el('tbody', {}, entries.map((e) => el('tr', { 'data-action': e.action },
        el('td', { i18nAttrs: label('when'), i18n: 'accessLog.at', args: { at: { dateTime: e.occurredAt } } }),
        el('td', { i18nAttrs: label('staff') }, e.staffName),
        el('td', { i18nAttrs: label('patron') },
          e.cardNumber && e.cardNumber.charAt(0) !== '~' ? el('a', { href: '#/lecteur/' + encodeURIComponent(e.cardNumber) }, who(e)) : who(e)),
        el('td', { i18nAttrs: label('action'), i18n: 'accessLog.action.' + e.action, args: { fallback: e.action } }),
        el('td', { i18nAttrs: label('page'), className: 'page' }, e.page || '—')))))));
  }
  return { title: 'accessLog.title', render: render };
}
