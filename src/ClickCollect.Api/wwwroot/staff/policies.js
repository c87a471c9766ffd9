// Loan and fine policies (issue 11): one row per format × audience ("any" matches every one), the
// any/any row being the fallback every document gets. The table is replaced at once with
// PUT /api/loan-policies, which validates and audits it; amounts are shown in euros, sent in cents.
import { api } from '../js/api.js';
import { append, clear, el } from '../js/dom.js';
import { editTable, input, labelRow, rowFields, status } from './net-forms.js';

const FORMATS = ['book', 'largePrint', 'comics', 'dvd', 'cd', 'audiobook'];
const AUDIENCES = ['adult', 'youth', 'children'];
const COLUMNS = ['pol.format', 'pol.audience', 'pol.loanDays', 'pol.finePerDay', 'pol.graceDays', 'pol.cap', 'net.action'];

function choice(values, prefix, value) {
  return el('select', {}, el('option', { value: '', i18n: 'pol.any' }),
    values.map((v) => el('option', { value: v, selected: v === value, i18n: prefix + v })));
}

const euros = (cents) => (cents / 100).toFixed(2);
const cents = (text) => Math.round(Number(text) * 100);

export async function loadPolicies(container) {
  const data = await api('/api/loan-policies');
  const rows = el('tbody', {});
  const addRow = (p) => {
    const tr = el('tr', {},
      el('td', {}, choice(FORMATS, 'format.', p.format)), el('td', {}, choice(AUDIENCES, 'audience.', p.audience)),
      el('td', {}, input('number', p.loanDays, { min: '1', max: '365', required: true })),
      el('td', {}, input('number', euros(p.fineCentsPerDay), { min: '0', step: '0.01', required: true })),
      el('td', {}, input('number', p.fineGraceDays, { min: '0', max: '60', required: true })),
      el('td', {}, input('number', euros(p.fineCapCents), { min: '0', step: '0.01', required: true })),
      el('td', {}, el('button', { type: 'button', className: 'secondary', i18n: 'net.remove', onclick: () => tr.remove() })));
    labelRow(tr, COLUMNS);
    rows.appendChild(tr);
  };
  data.policies.forEach(addRow);
  const result = el('div', { 'aria-live': 'polite' });
  const form = el('form', { className: 'policies-form' },
    data.defaults ? el('p', { className: 'hint', i18n: 'pol.defaults' }) : null,
    editTable('pol.caption', COLUMNS, rows),
    el('button', { type: 'button', className: 'secondary', i18n: 'pol.addRow',
      onclick: () => addRow({ format: 'dvd', audience: null, loanDays: 14, fineCentsPerDay: 50, fineGraceDays: 1, fineCapCents: 1000 }) }),
    el('button', { type: 'submit', className: 'primary', i18n: 'pol.save' }), result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const policies = Array.prototype.map.call(rows.children, (tr) => {
      const c = tr.querySelectorAll('select, input');
      return { format: c[0].value || null, audience: c[1].value || null, loanDays: Number(c[2].value),
        fineCentsPerDay: cents(c[3].value), fineGraceDays: Number(c[4].value), fineCapCents: cents(c[5].value) };
    });
    rowFields(rows, 'policies', ['format', 'audience', 'loanDays', 'fineCentsPerDay', 'fineGraceDays', 'fineCapCents']);
    try {
      await api('/api/loan-policies', { method: 'PUT', body: { policies: policies } });
      status(result, 'pol.saved', form);
    } catch (error) {
      status(result, error, form, { policies: form.querySelector('.table-wrap') });
    }
  });
  append(clear(container), [el('p', { className: 'intro', i18n: 'pol.intro' }), form]);
}
