// The director's lockdown switch (issue 5): declare a lockdown with its effects spelled out before
// confirming, end or cancel one (again previewed), the history and the audit trail.
//   GET /api/branches · GET /api/lockdowns?includeCancelled=true · GET /api/audit?entity=lockdown
//   POST /api/lockdowns/preview → POST /api/lockdowns · POST /api/lockdowns/{id}/end/preview → /end · /cancel/preview → /cancel
import { api } from '../js/api.js';
import { append, clear, el, field } from '../js/dom.js';
import { clearFieldErrors, refuse } from '../js/field-errors.js';
import { effectsParagraph, policyList } from './lockdown-effects.js';

// The network's date today (yyyy-MM-dd): the default first day of a lockdown.
function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
}

function checkbox(id, labelKey, checked, extra) {
  const box = el('input', { type: 'checkbox', id: id, checked: checked });
  return { box: box, node: el('div', { className: 'check' }, box, el('label', { for: id, i18n: labelKey }), extra || null) };
}

function number(id, value, min, max) {
  return el('input', { type: 'number', id: id, value: String(value), min: String(min), max: String(max), inputmode: 'numeric' });
}

export function lockdownsView(isDirector) {
  let ui = null;

  function render(main) {
    if (!isDirector()) {
      append(clear(main), [el('h1', { i18n: 'lockdowns.title' }), el('p', { className: 'notice', i18n: 'lockdowns.directorsOnly' })]);
      return;
    }
    ui = { main: main, form: declareForm(), history: el('div', { className: 'table-wrap' }), audit: el('div', { className: 'table-wrap' }) };
    append(clear(main), [
      el('h1', { i18n: 'lockdowns.title' }),
      el('p', { className: 'intro', i18n: 'lockdowns.intro' }),
      el('h2', { i18n: 'lockdowns.declare' }),
      ui.form.node,
      el('h2', { i18n: 'lockdowns.history' }), ui.history,
      el('h2', { i18n: 'lockdowns.audit' }), ui.audit,
    ]);
    refresh();
  }

  async function refresh() {
    const [lockdowns, audit] = await Promise.all([
      api('/api/lockdowns?includeCancelled=true').catch(() => []),
      api('/api/audit?entity=lockdown').catch(() => []),
    ]);
    clear(ui.history).appendChild(lockdowns.length ? historyTable(lockdowns) : el('p', { className: 'muted', i18n: 'lockdowns.none' }));
    clear(ui.audit).appendChild(audit.length ? auditTable(audit) : el('p', { className: 'muted', i18n: 'lockdowns.auditNone' }));
  }

  // Declare: the form, then "Voir les effets" (preview), then "Confirmer".
  function declareForm() {
    const startsOn = el('input', { type: 'date', required: true, value: today() });
    const endsOn = el('input', { type: 'date' });
    const network = el('input', { type: 'radio', name: 'scope', id: 'scope-network', value: 'network', checked: true });
    const some = el('input', { type: 'radio', name: 'scope', id: 'scope-some', value: 'some' });
    const branches = el('div', { className: 'branch-choices', hidden: true });
    const fines = checkbox('effect-fines', 'lockdowns.form.fines', true);
    const reminders = checkbox('effect-reminders', 'lockdowns.form.reminders', true);
    const shiftDays = number('effect-shift-days', 7, 0, 180);
    const spreadDays = number('effect-spread-days', 5, 1, 30);
    const shift = checkbox('effect-shift', 'lockdowns.form.shift', true, el('div', { className: 'inline-fields' },
      field('effect-shift-days', 'lockdowns.form.shiftDays', shiftDays), field('effect-spread-days', 'lockdowns.form.spreadDays', spreadDays)));
    const pickup = checkbox('effect-pickup', 'lockdowns.form.pickup', true);
    const capValue = number('effect-cap-value', 2, 0, 500);
    const cap = checkbox('effect-cap', 'lockdowns.form.cap', false, el('div', { className: 'inline-fields' }, field('effect-cap-value', 'lockdowns.form.capValue', capValue)));
    const note = el('input', { type: 'text', maxlength: '500' });
    const error = el('div', { className: 'form-error', 'aria-live': 'assertive' });
    const preview = el('div', { className: 'lockdown-preview', 'aria-live': 'polite', hidden: true });

    api('/api/branches').then((list) => list.forEach((b) => {
      const box = el('input', { type: 'checkbox', id: 'branch-' + b.id, value: String(b.id) });
      branches.appendChild(el('div', { className: 'check' }, box, el('label', { for: 'branch-' + b.id }, b.name)));
    }), () => {});
    const scopeChanged = () => { branches.hidden = !some.checked; };
    network.addEventListener('change', scopeChanged);
    some.addEventListener('change', scopeChanged);

    function body() {
      const ids = Array.prototype.slice.call(branches.querySelectorAll('input:checked')).map((b) => Number(b.value));
      return {
        branchIds: some.checked ? ids : null,
        startsOn: startsOn.value || null,
        endsOn: endsOn.value || null,
        suspendFines: fines.box.checked,
        suspendReminders: reminders.box.checked,
        shiftDueDatesDays: shift.box.checked ? Number(shiftDays.value) : null,
        spreadDueDatesOverDays: shift.box.checked ? Number(spreadDays.value) : null,
        extendPickupDeadlines: pickup.box.checked,
        slotCapacityCap: cap.box.checked ? Number(capValue.value) : null,
        note: note.value.trim() || null,
      };
    }

    // The fields a refusal may name (#19, RGAA 11.10).
    const fields = () => ({ branchIds: branches, startsOn: startsOn, endsOn: endsOn, shiftDueDatesDays: shiftDays,
      spreadDueDatesOverDays: spreadDays, slotCapacityCap: capValue, note: note });

    async function showPreview(event) {
      event.preventDefault();
      clear(error);
      clearFieldErrors(form);
      const request = body();
      let answer;
      try {
        answer = await api('/api/lockdowns/preview', { method: 'POST', body: request });
      } catch (failure) {
        refuse(form, error, failure, fields());
        preview.hidden = true;
        return;
      }
      const confirm = el('button', { type: 'button', className: 'primary confirm', i18n: 'lockdowns.confirm' });
      confirm.addEventListener('click', async () => {
        confirm.disabled = true;
        try {
          const done = await api('/api/lockdowns', { method: 'POST', body: request });
          clear(preview).appendChild(el('p', { className: 'notice done', role: 'status', i18n: 'lockdowns.declared' }));
          preview.appendChild(effectsParagraph(done.effects));
          refresh();
        } catch (failure) {
          refuse(form, error, failure, fields());
          confirm.disabled = false;
        }
      });
      append(clear(preview), [
        el('h3', { i18n: 'lockdowns.beforeConfirming' }),
        policyList(Object.assign({}, request, { spreadDueDatesOverDays: request.spreadDueDatesOverDays || 5 })),
        effectsParagraph(answer.effects),
        el('div', { className: 'actions' }, confirm,
          el('button', { type: 'button', className: 'secondary', i18n: 'lockdowns.edit', onClick: () => { preview.hidden = true; startsOn.focus(); } })),
      ]);
      preview.hidden = false;
      confirm.focus();
    }

    const form = el('form', { className: 'lockdown-form', onSubmit: showPreview },
      el('fieldset', {}, el('legend', { i18n: 'lockdowns.form.scope' }),
        el('div', { className: 'check' }, network, el('label', { for: 'scope-network', i18n: 'lockdowns.form.network' })),
        el('div', { className: 'check' }, some, el('label', { for: 'scope-some', i18n: 'lockdowns.form.some' })),
        branches),
      el('div', { className: 'inline-fields' },
        field('lockdown-starts', 'lockdowns.form.startsOn', startsOn),
        field('lockdown-ends', 'lockdowns.form.endsOn', endsOn, 'lockdowns.form.endsOnHint')),
      el('fieldset', {}, el('legend', { i18n: 'lockdowns.form.effects' }), fines.node, reminders.node, shift.node, pickup.node, cap.node),
      field('lockdown-note', 'lockdowns.form.note', note),
      error,
      el('button', { type: 'submit', className: 'primary', i18n: 'lockdowns.preview' }));
    return { node: el('div', {}, form, preview) };
  }

  // End (with a date) or cancel a lockdown from its row: preview first, then confirm.
  function rowAction(lockdown, kind, cell) {
    const panel = el('div', { className: 'row-action', 'aria-live': 'polite' });
    const date = el('input', { type: 'date', value: lockdown.endsOn || today() });
    const error = el('div', { className: 'form-error', 'aria-live': 'assertive' });
    const path = '/api/lockdowns/' + lockdown.id + '/' + kind;
    const request = () => (kind === 'end' ? { endsOn: date.value || null } : undefined);
    async function preview() {
      clear(error);
      clearFieldErrors(panel);
      let answer;
      try {
        answer = await api(path + '/preview', { method: 'POST', body: request() });
      } catch (failure) {
        refuse(panel, error, failure, { endsOn: date });
        return;
      }
      const confirm = el('button', { type: 'button', className: 'primary confirm', i18n: 'lockdowns.confirm.' + kind });
      confirm.addEventListener('click', async () => {
        try {
          await api(path, { method: 'POST', body: request() });
          refresh();
        } catch (failure) {
          refuse(panel, error, failure, { endsOn: date });
        }
      });
      append(result, [effectsParagraph(answer.effects), confirm]);
    }
    const result = el('div', {});
    const show = el('button', { type: 'button', className: 'secondary', i18n: 'lockdowns.preview' });
    show.addEventListener('click', () => { clear(result); preview(); });
    append(panel, [kind === 'end' ? field('end-' + lockdown.id, 'lockdowns.form.lastDay', date) : null, show, error, result]);
    clear(cell).appendChild(panel);
    (kind === 'end' ? date : show).focus();
  }

  function historyTable(lockdowns) {
    const heads = ['lockdowns.col.period', 'lockdowns.col.scope', 'lockdowns.col.effects', 'lockdowns.col.state', 'lockdowns.col.actions'];
    const cell = (i, children) => el('td', { i18nAttrs: { 'data-label': heads[i] } }, children);
    return el('table', { className: 'lockdown-history' },
      el('caption', { className: 'visually-hidden', i18n: 'caption.lockdownHistory' }),
      el('thead', {}, el('tr', {}, heads.map((h) => el('th', { scope: 'col', i18n: h })))),
      el('tbody', {}, lockdowns.map((l) => {
        const actions = cell(4, []);
        if (l.status === 'active') {
          actions.appendChild(el('button', { type: 'button', className: 'secondary', i18n: 'lockdowns.end', onClick: () => rowAction(l, 'end', actions) }));
          actions.appendChild(el('button', { type: 'button', className: 'secondary', i18n: 'lockdowns.cancel', onClick: () => rowAction(l, 'cancel', actions) }));
        }
        return el('tr', { 'data-id': String(l.id), 'data-state': l.state },
          cell(0, el('span', { i18n: l.endsOn ? 'lockdowns.period' : 'lockdowns.periodOpen', args: { start: { date: l.startsOn }, end: { date: l.endsOn } } })),
          cell(1, l.networkWide ? el('span', { i18n: 'lockdowns.network' }) : l.branchNames.join(', ')),
          cell(2, policyList(l)),
          cell(3, el('span', { className: 'state state-' + l.state, i18n: 'lockdowns.state.' + l.state })),
          actions);
      })));
  }

  function auditTable(entries) {
    const heads = ['lockdowns.col.when', 'lockdowns.col.who', 'lockdowns.col.what', 'lockdowns.col.effects'];
    const cell = (i, children) => el('td', { i18nAttrs: { 'data-label': heads[i] } }, children);
    return el('table', { className: 'lockdown-audit' },
      el('caption', { className: 'visually-hidden', i18n: 'caption.lockdownAudit' }),
      el('thead', {}, el('tr', {}, heads.map((h) => el('th', { scope: 'col', i18n: h })))),
      el('tbody', {}, entries.map((a) => {
        const after = a.details.after || {};
        return el('tr', {},
          cell(0, el('span', { i18n: 'lockdowns.at', args: { at: { dateTime: a.occurredAt } } })),
          cell(1, a.actor),
          cell(2, [el('strong', { i18n: 'audit.' + a.action, args: { fallback: a.action } }), ' ',
            el('span', { i18n: after.endsOn ? 'lockdowns.period' : 'lockdowns.periodOpen', args: { start: { date: after.startsOn }, end: { date: after.endsOn } } })]),
          cell(3, a.details.effects ? effectsParagraph(a.details.effects, 'effects-summary small') : null));
      })));
  }

  return { title: 'lockdowns.title', render: render };
}
