// "Mon compte", reading privacy (issue 16): the reading-history consent (dated), the download of
// everything the library holds, and the erasure request.
//   PUT /api/patrons/me/consents { historyConsent, smsConsent } → the patron
//   GET /api/patrons/me/export → JSON (saved as a file)
//   POST /api/patrons/me/erasure-request → 202 { requestedAt, blockers: [{ code, count, message }] }
//   DELETE /api/patrons/me/erasure-request
// The patron's erasureDeclinedAt / erasureDeclineReason: staff declined the last request, and why.
import { api, problemMessage } from './api.js';
import { append, clear, el } from './dom.js';
import { refuse, refuseHere } from './field-errors.js';
import { downloadJson } from './privacy-strings.js';

// ctx: { patronChanged(patron) }; returns the section for accountView's moreSections.
export function privacySection(patron, ctx) {
  const status = el('div', { role: 'status' });
  const box = el('div', { className: 'form-error', 'aria-live': 'assertive' });
  const say = (key, args) => clear(status).appendChild(el('p', { className: 'notice', i18n: key, args: args }));
  const fail = (error) => append(clear(box), problemMessage(error));

  const history = el('input', { type: 'checkbox', id: 'privacy-history' });
  history.checked = !!patron.historyConsent;
  const consentForm = el('form', { novalidate: true, onSubmit: async (event) => {
    event.preventDefault();
    clear(box);
    try {
      const changed = await api('/api/patrons/me/consents', { method: 'PUT', body: { historyConsent: history.checked, smsConsent: !!patron.smsConsent } });
      ctx.patronChanged(changed);
      say('privacy.saved');
    } catch (error) { refuse(consentForm, box, error, { historyConsent: history }); }
  } },
  el('div', { className: 'field check' }, history, ' ', el('label', { for: 'privacy-history', className: 'inline', i18n: 'privacy.history' })),
  patron.historyConsentAt ? el('p', { className: 'hint', i18n: 'privacy.since', args: { at: { date: patron.historyConsentAt } } }) : null,
  el('button', { type: 'submit', className: 'secondary', i18n: 'privacy.save' }));

  const download = el('button', { type: 'button', className: 'secondary', i18n: 'privacy.download', onClick: async () => {
    clear(box);
    try {
      downloadJson(await api('/api/patrons/me/export'), 'mes-donnees-' + patron.cardNumber + '.json');
    } catch (error) { fail(error); }
  } });

  const erasure = el('div', {});
  drawErasure(erasure, patron.erasureRequestedAt, [], box, ctx, say, fail);
  // Staff declined the last request: the patron reads why, above the form to ask again.
  if (!patron.erasureRequestedAt && patron.erasureDeclinedAt) {
    erasure.insertBefore(el('p', { className: 'notice declined', i18n: 'privacy.erasure.declined',
      args: { at: { date: patron.erasureDeclinedAt }, reason: patron.erasureDeclineReason || '' } }), erasure.firstChild);
  }

  return el('section', { className: 'account-part', id: 'account-privacy', 'aria-labelledby': 'account-privacy-h' },
    el('h2', { id: 'account-privacy-h', i18n: 'privacy.title' }),
    el('p', { className: 'intro', i18n: 'privacy.intro' }),
    status,
    el('h3', { i18n: 'privacy.consents' }), consentForm,
    el('h3', { i18n: 'privacy.export' }), download, ' ', el('a', { href: '#/mes-donnees', className: 'data-link', i18n: 'privacy.show' }),
    el('h3', { i18n: 'privacy.erasure' }), erasure,
    box,
    el('hr', {}));
}

function drawErasure(target, requestedAt, blockers, box, ctx, say, fail) {
  clear(target);
  if (requestedAt) {
    append(target, [
      el('p', { className: 'notice', i18n: 'privacy.erasure.requested', args: { at: { date: requestedAt } } }),
      blockers.length ? el('p', { i18n: 'privacy.erasure.blockers' }) : null,
      blockers.length ? el('ul', {}, blockers.map((b) => el('li', {}, b.message))) : null,
      el('button', { type: 'button', className: 'secondary', i18n: 'privacy.erasure.withdraw', onClick: async () => {
        clear(box);
        try {
          await api('/api/patrons/me/erasure-request', { method: 'DELETE' });
          drawErasure(target, null, [], box, ctx, say, fail);
          say('privacy.erasure.withdrawn');
        } catch (error) { fail(error); }
      } }),
    ]);
    return;
  }
  const confirm = el('input', { type: 'checkbox', id: 'privacy-erasure-confirm' });
  const ask = el('button', { type: 'submit', className: 'secondary', i18n: 'privacy.erasure.ask' });
  const form = el('form', { novalidate: true, onSubmit: async (event) => {
      event.preventDefault();
      clear(box);
      if (!confirm.checked) { refuseHere(form, box, confirm, 'privacy.erasure.confirmFirst'); return; }
      try {
        const answer = await api('/api/patrons/me/erasure-request', { method: 'POST' });
        drawErasure(target, answer.requestedAt, answer.blockers || [], box, ctx, say, fail);
      } catch (error) { fail(error); }
    } },
    el('div', { className: 'field check' }, confirm, ' ', el('label', { for: 'privacy-erasure-confirm', className: 'inline', i18n: 'privacy.erasure.confirm' })),
    ask);
  append(target, [el('p', { i18n: 'privacy.erasure.intro' }), form]);
}
