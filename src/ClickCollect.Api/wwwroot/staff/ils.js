// What the library system has not taken yet (issue 13): checkouts and checkins sent through SIP2 wait in
// an outbox while it is unreachable and are sent again in order; those it refused stay listed with its
// message. The library system is the record of loans, so staff check here before closing the day.
//   GET /api/ils/outbox → { provider, pending, lines: [{ kind, cardNumber, barcode, occurredAt, attempts, status, error }] }
import { api, problemMessage } from '../js/api.js';
import { append, clear, el } from '../js/dom.js';
import '../js/counter-strings.js';

export function ilsView() {
  async function render(main) {
    const body = el('div', { 'aria-live': 'polite' });
    append(clear(main), [el('h1', { i18n: 'ils.title' }), el('p', { className: 'intro', i18n: 'ils.intro' }), body]);
    let outbox;
    try {
      outbox = await api('/api/ils/outbox');
    } catch (error) {
      append(body, [el('div', { className: 'error-box', role: 'alert' }, problemMessage(error))]);
      return;
    }
    append(body, [
      outbox.provider === 'none' ? el('p', { className: 'notice', i18n: 'ils.none' }) : null,
      el('p', { className: 'lead', i18n: 'ils.pending', args: { n: outbox.pending } }),
      outbox.lines.length ? el('div', { className: 'table-wrap' }, el('table', { className: 'ils-outbox' },
        el('caption', { i18n: 'ils.caption' }),
        el('thead', {}, el('tr', {}, ['ils.col.when', 'ils.col.kind', 'ils.col.barcode', 'ils.col.card', 'ils.col.attempts', 'ils.col.status', 'ils.col.error']
          .map((k) => el('th', { scope: 'col', i18n: k })))),
        el('tbody', {}, outbox.lines.map((l) => el('tr', { className: 'ils-' + l.status },
          el('td', { i18n: 'ils.at', args: { at: { dateTime: l.occurredAt } } }), el('td', { i18n: 'ils.kind.' + l.kind, args: { fallback: l.kind } }),
          el('td', {}, l.barcode), el('td', {}, l.cardNumber || ''), el('td', {}, String(l.attempts)),
          el('td', { i18n: 'ils.status.' + l.status, args: { fallback: l.status } }), el('td', {}, l.error || '')))))) : null,
    ]);
  }
  return { title: 'ils.title', render: render };
}
