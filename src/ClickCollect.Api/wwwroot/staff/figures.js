// The director's figures (issue 11): a date range and a pickup point (or the whole network), then each
// figure as a chart drawn by the server (SVG) with its table beside it and a CSV export. Prints.
//   GET /api/figures?from=&to=&pickupPointId= · GET /api/figures/charts/{chart}?… · ?format=csv&table=…
import { api, problemMessage, withQuery } from '../js/api.js';
import { append, clear, el, field } from '../js/dom.js';
import { clearFieldErrors, refuse } from '../js/field-errors.js';
import { lang, onLangChange } from '../js/i18n.js';

function isoDay(date) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(date);
}

function percent(rate) {
  return new Intl.NumberFormat(lang(), { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

function table(captionKey, head, rows) {
  return el('div', { className: 'table-wrap' }, el('table', { className: 'figures-table' },
    el('caption', { i18n: captionKey }),
    el('thead', {}, el('tr', {}, head.map((key) => el('th', { scope: 'col', i18n: key })))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c, i) => (i === 0 ? el('th', { scope: 'row' }, String(c))
      : el('td', { i18nAttrs: { 'data-label': head[i] } }, String(c)))))))));
}

export function figuresView(isDirector) {
  let state = { from: isoDay(new Date(Date.now() - 27 * 86400000)), to: isoDay(new Date()), point: '' };
  let out = null;
  let points = [];
  let chooser = null; // the period form and its fields, for a refusal to be tied to them (#19)

  function query(extra) {
    return Object.assign({ from: state.from, to: state.to, pickupPointId: state.point }, extra || {});
  }

  function csvLink(name) {
    return el('a', { className: 'csv-link', href: withQuery('/api/figures', query({ format: 'csv', table: name })), download: '', i18n: 'fig.csv' });
  }

  function chart(name, titleKey) {
    return el('img', { className: 'chart', src: withQuery('/api/figures/charts/' + name, query({ lang: lang() })), alt: '', 'data-chart': name,
      i18nAttrs: { alt: titleKey } });
  }

  function section(titleKey, name, chartName, tableNode) {
    return el('section', { className: 'figure' }, el('h2', { i18n: titleKey }),
      el('div', { className: 'figure-body' }, chartName ? chart(chartName, titleKey) : null, tableNode), csvLink(name));
  }

  async function load() {
    clear(out).appendChild(el('p', { role: 'status', i18n: 'app.loading' }));
    if (chooser) clearFieldErrors(chooser.form);
    let f;
    try {
      f = await api(withQuery('/api/figures', query()));
    } catch (error) {
      const box = clear(out).appendChild(el('div', { className: 'form-error', role: 'alert' }));
      if (chooser) refuse(chooser.form, box, error, chooser.fields);
      else append(box, problemMessage(error));
      return;
    }
    const a = f.appointments;
    const name = (id) => (points.find((p) => p.id === id) || { name: '#' + id }).name;
    append(clear(out), [
      el('dl', { className: 'figures-summary' },
        el('dt', { i18n: 'fig.booked' }), el('dd', {}, String(a.booked)),
        el('dt', { i18n: 'fig.noShowRate' }), el('dd', { 'data-figure': 'noShowRate' }, percent(a.noShowRate)),
        el('dt', { i18n: 'fig.reservations' }), el('dd', {}, String(f.holds.total)),
        el('dt', { i18n: 'fig.notFound' }), el('dd', {}, String(f.notFound)),
        el('dt', { i18n: 'fig.handOver' }), el('dd', {}, f.handOver.count ? f.handOver.medianMinutes + ' / ' + f.handOver.p90Minutes + ' min' : '—')),
      section('fig.reservationsTitle', 'reservations', 'reservations',
        table('fig.reservationsTitle', ['fig.date', 'fig.web', 'fig.phone', 'fig.sms', 'fig.selection'],
          f.reservationsPerDay.filter((d) => d.web + d.phone + d.sms + d.selection > 0).map((d) => [d.date, d.web, d.phone, d.sms, d.selection]))),
      section('fig.outcomesTitle', 'outcomes', 'outcomes',
        table('fig.outcomesTitle', ['fig.week', 'fig.booked', 'fig.completed', 'fig.noShow', 'fig.cancelled', 'fig.noShowRate'],
          f.outcomesPerWeek.map((w) => [w.weekStart, w.booked, w.completed, w.noShow, w.cancelled, percent(w.noShowRate)]))),
      section('fig.occupancyTitle', 'occupancy', 'occupancy',
        table('fig.occupancyTitle', ['fig.point', 'fig.weekday', 'fig.hour', 'fig.booked', 'fig.capacity'],
          f.occupancy.filter((o) => o.booked > 0).map((o) => [name(o.pickupPointId), o.weekday, o.hour + ' h', o.booked, o.capacity]))),
      section('fig.stopsTitle', 'stopDemand', 'stopDemand',
        table('fig.stopsTitle', ['fig.stop', 'fig.holds', 'fig.appointments'], f.stopDemand.map((s) => [s.name, s.holds, s.appointments]))),
      section('fig.selectionsTitle', 'selections', null,
        table('fig.selectionsTitle', ['fig.received', 'fig.confirmed', 'fig.cancelled', 'fig.medianWait', 'fig.p90Wait'],
          [[f.selections.received, f.selections.confirmed, f.selections.cancelled, f.selections.medianWaitHours ?? '—', f.selections.p90WaitHours ?? '—']])),
      section('fig.smsTitle', 'sms', null,
        table('fig.smsTitle', ['fig.queued', 'fig.sent', 'fig.delivered', 'fig.failed', 'fig.notSent', 'fig.segments'],
          [[f.sms.queued, f.sms.sent, f.sms.delivered, f.sms.failed, f.sms.notSent, f.sms.segments]])),
    ]);
  }

  async function render(main) {
    if (!isDirector()) {
      append(clear(main), [el('h1', { i18n: 'fig.title' }), el('p', { className: 'notice', i18n: 'lockdowns.directorsOnly' })]);
      return;
    }
    points = await api('/api/pickup-points?all=true').catch(() => []);
    const from = el('input', { type: 'date', value: state.from, required: true });
    const to = el('input', { type: 'date', value: state.to, required: true });
    const point = el('select', {}, el('option', { value: '', i18n: 'fig.network' }),
      points.map((p) => el('option', { value: String(p.id), selected: String(p.id) === state.point }, p.name)));
    const form = el('form', { className: 'figures-form inline-fields' },
      field('fig-from', 'fig.from', from), field('fig-to', 'fig.to', to), field('fig-point', 'fig.pointLabel', point),
      el('div', { className: 'field' }, el('button', { type: 'submit', className: 'primary', i18n: 'fig.show' })),
      el('div', { className: 'field' }, el('button', { type: 'button', className: 'secondary', i18n: 'fig.print', onclick: () => window.print() })));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      state = { from: from.value, to: to.value, point: point.value };
      load();
    });
    chooser = { form: form, fields: { from: from, to: to, pickupPointId: point } };
    out = el('div', { className: 'figures', 'aria-live': 'polite' });
    append(clear(main), [el('h1', { i18n: 'fig.title' }), el('p', { className: 'intro', i18n: 'fig.intro' }), form, out]);
    load();
  }

  // The charts' words come from the server: ask for them again in the new language.
  onLangChange(() => {
    if (!out) return;
    out.querySelectorAll('img.chart').forEach((img) => {
      img.src = withQuery('/api/figures/charts/' + img.getAttribute('data-chart'), query({ lang: lang() }));
    });
  });

  return { title: 'fig.title', render: render };
}
