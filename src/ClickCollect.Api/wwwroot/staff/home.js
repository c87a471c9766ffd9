// The staff home page, one per role (issue 11): counter staff see today's work per pickup point, librarians
// the surprise-selection queue, directors this week's figures and what needs them (a pickup point with no
// opening windows, SMS failing, a lockdown in force).
import { api, withQuery } from '../js/api.js';
import { append, clear, el } from '../js/dom.js';

function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
}

function monday(day) {
  const d = new Date(day + 'T12:00:00Z');
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

function stat(labelKey, value, attrs) {
  return el('div', Object.assign({ className: 'stat' }, attrs || {}), el('span', { className: 'stat-value' }, String(value)), el('span', { className: 'stat-label', i18n: labelKey }));
}

async function counterHome(staff) {
  const points = (await api('/api/pickup-points').catch(() => [])).filter((p) => !staff.homePickupPointId || p.id === staff.homePickupPointId);
  const day = today();
  const cards = await Promise.all(points.map(async (p) => {
    const [list, appointments] = await Promise.all([
      api('/api/pick-lists/' + p.id + '/' + day).catch(() => null),
      api(withQuery('/api/appointments', { pickupPointId: p.id, date: day })).catch(() => []),
    ]);
    const open = appointments.filter((a) => a.status === 'booked' || a.status === 'arrived');
    return el('section', { className: 'home-card' }, el('h3', {}, el('a', { href: '#/comptoir' }, p.name)),
      el('div', { className: 'stats' },
        stat('home.toPick', list ? list.lineCount - list.pickedCount : '—'),
        stat('home.ready', list ? list.pickedCount : '—'),
        stat('home.appointments', open.length),
        stat('home.arrivals', appointments.filter((a) => a.status === 'arrived').length)));
  }));
  return [el('h2', { i18n: 'home.today' }), el('div', { className: 'home-cards' }, cards)];
}

async function librarianHome() {
  const queue = await api('/api/selection-requests').catch(() => []);
  const waiting = queue.filter((r) => r.status === 'open' || r.status === 'claimed' || r.status === 'proposed');
  return [el('h2', { i18n: 'home.queue' }), el('div', { className: 'stats' }, stat('home.waiting', waiting.length)),
    el('p', {}, el('a', { href: '#/selections', i18n: 'home.openQueue' }))];
}

async function directorHome() {
  const day = today();
  const [figures, points, lockdowns] = await Promise.all([
    api(withQuery('/api/figures', { from: monday(day), to: day })).catch(() => null),
    api('/api/pickup-points?all=true').catch(() => []),
    api('/api/lockdowns').catch(() => []),
  ]);
  const openings = await Promise.all(points.filter((p) => p.active && p.kind === 'counter')
    .map((p) => api('/api/pickup-points/' + p.id + '/opening').then((o) => ({ point: p, opening: o }), () => null)));
  const alerts = [];
  openings.filter((o) => o && o.opening.windows.length === 0)
    .forEach((o) => alerts.push(el('li', { i18n: 'home.noWindows', args: { name: o.point.name } })));
  if (figures && figures.sms.failed > 0) alerts.push(el('li', {}, el('a', { href: '#/sms', i18n: 'home.smsFailing', args: { n: figures.sms.failed } })));
  lockdowns.filter((l) => l.status !== 'cancelled' && l.startsOn <= day && (!l.endsOn || l.endsOn >= day))
    .forEach((l) => alerts.push(el('li', {}, el('a', { href: '#/confinements', i18n: 'home.lockdown', args: { day: { day: l.startsOn } } }))));
  const a = figures ? figures.appointments : null;
  return [
    el('h2', { i18n: 'home.week' }),
    a ? el('div', { className: 'stats' },
      stat('fig.booked', a.booked), stat('fig.completed', a.completed), stat('fig.noShow', a.noShow),
      stat('fig.noShowRate', new Intl.NumberFormat('fr', { style: 'percent', maximumFractionDigits: 1 }).format(a.noShowRate), { 'data-figure': 'noShowRate' }),
      stat('fig.reservations', figures.holds.total)) : null,
    el('p', {}, el('a', { href: '#/chiffres', i18n: 'home.allFigures' })),
    el('h2', { i18n: 'home.attention' }),
    alerts.length ? el('ul', { className: 'alerts' }, alerts) : el('p', { className: 'muted', i18n: 'home.nothing' }),
  ];
}

export async function renderHome(target, staff) {
  const header = [
    el('h1', { i18n: 'staff.home.title' }),
    el('p', { className: 'lead', i18n: 'staff.home.signedInAs', args: { name: staff.displayName } }),
  ];
  append(clear(target), header);
  const body = el('div', { className: 'home-body', 'aria-live': 'polite' }, el('p', { i18n: 'app.loading' }));
  target.appendChild(body);
  const parts = staff.role === 'director' ? await directorHome() : staff.role === 'librarian' ? await librarianHome() : await counterHome(staff);
  append(clear(body), parts);
}
