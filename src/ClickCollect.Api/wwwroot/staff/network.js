// The director's network pages (issue 11): pickup points (open or not, lead time, horizon, opening
// windows per weekday), closures on a month calendar, the bibliobus's routes and stops in route order,
// branches and counters, staff accounts. Every change goes through the API, which audits it.
//   GET/PUT /api/pickup-points/{id} · GET/PUT /api/pickup-points/{id}/opening · POST/DELETE …/closures
//   GET /api/bibliobuses · POST /api/routes/{id}/stops · GET/POST /api/branches · POST /api/branches/{id}/counters
//   GET/POST /api/staff · PUT /api/staff/{id} · POST /api/staff/{id}/password · GET/PUT /api/loan-policies
//   PUT /api/branches/{id} · PUT /api/stops/{id} · PUT/DELETE /api/stops/{id}/exceptions
import { api } from '../js/api.js';
import { append, clear, el, field } from '../js/dom.js';
import { t } from '../js/i18n.js';
import '../js/network-strings.js';
import { WEEKDAYS, editor, hhmm, input, labelRow, rowFields, status, weekdaySelect } from './net-forms.js';
import { loadPolicies } from './policies.js';
import { stopEditor, visitsTable } from './stops.js';

export function networkView(isDirector) {
  let points = [];
  let current = null; // the pickup point being edited
  let month = null; // 'yyyy-MM' shown by the closures calendar
  const ui = {};

  async function render(main) {
    if (!isDirector()) {
      append(clear(main), [el('h1', { i18n: 'net.title' }), el('p', { className: 'notice', i18n: 'lockdowns.directorsOnly' })]);
      return;
    }
    points = await api('/api/pickup-points?all=true').catch(() => []);
    ui.pointSelect = el('select', { id: 'net-point' }, points.map((p) => el('option', { value: String(p.id) }, p.name)));
    ui.pointSelect.addEventListener('change', () => loadPoint(Number(ui.pointSelect.value)));
    ui.point = el('div', { className: 'net-point' });
    ui.bus = el('div', { className: 'net-bus' });
    ui.branches = el('div', { className: 'net-branches' });
    ui.staff = el('div', { className: 'net-staff' });
    ui.policies = el('div', { className: 'net-policies' });
    append(clear(main), [
      el('h1', { i18n: 'net.title' }), el('p', { className: 'intro', i18n: 'net.intro' }),
      el('nav', { className: 'net-toc', 'aria-label': t('net.title') }, el('ul', {},
        ['points', 'bus', 'branches', 'staff', 'policies'].map((s) => el('li', {}, el('a', { href: '#/reseau', 'data-target': 'net-' + s, i18n: 'net.section.' + s,
          onclick: (e) => { e.preventDefault(); document.getElementById('net-' + s).scrollIntoView(); } }))))),
      el('section', { id: 'net-points' }, el('h2', { i18n: 'net.section.points' }), field('net-point', 'net.point', ui.pointSelect), ui.point),
      el('section', { id: 'net-bus' }, el('h2', { i18n: 'net.section.bus' }), ui.bus),
      el('section', { id: 'net-branches' }, el('h2', { i18n: 'net.section.branches' }), ui.branches),
      el('section', { id: 'net-staff' }, el('h2', { i18n: 'net.section.staff' }), ui.staff),
      el('section', { id: 'net-policies' }, el('h2', { i18n: 'net.section.policies' }), ui.policies),
    ]);
    if (points.length) loadPoint(points[0].id);
    loadBus();
    loadBranches();
    loadStaff();
    loadPolicies(ui.policies).catch((error) => status(ui.policies, error));
  }

  // ---- Pickup point: settings, opening windows, closures ----
  async function loadPoint(id) {
    const [point, opening] = await Promise.all([api('/api/pickup-points/' + id), api('/api/pickup-points/' + id + '/opening')]);
    current = { point: point, opening: opening };
    if (!month) month = new Intl.DateTimeFormat('en-CA', { timeZone: point.timeZone }).format(new Date()).slice(0, 7);
    const active = el('input', { type: 'checkbox', id: 'net-active', checked: point.active });
    const lead = input('number', opening.leadTimeMinutes, { min: '0', max: '10080', id: 'net-lead' });
    const horizon = input('number', opening.horizonDays, { min: '1', max: '120', id: 'net-horizon' });
    const rows = el('tbody', {});
    const isStop = point.kind === 'bibliobusStop';
    const addRow = (w) => {
      const tr = el('tr', {},
        el('td', {}, weekdaySelect(w.weekday)), el('td', {}, input('time', hhmm(w.startsAt))), el('td', {}, input('time', hhmm(w.endsAt))),
        el('td', {}, input('number', w.slotMinutes, { min: '5', max: '240' })), el('td', {}, input('number', w.capacity, { min: '1', max: '500' })),
        el('td', {}, input('number', w.maxItems, { min: '1', max: '100' })),
        el('td', {}, el('button', { type: 'button', className: 'secondary', i18n: 'net.remove', onclick: () => tr.remove() })));
      labelRow(tr, ['net.weekdayCol', 'net.start', 'net.end', 'net.slotMinutes', 'net.capacity', 'net.maxItems']);
      rows.appendChild(tr);
    };
    opening.windows.forEach(addRow);
    const result = el('div', { 'aria-live': 'polite' });
    const windowsBox = el('div', { className: 'table-wrap' });
    const form = el('form', { className: 'net-opening' },
      el('div', { className: 'check' }, active, el('label', { for: 'net-active', i18n: 'net.active' })),
      el('div', { className: 'inline-fields' }, field('net-lead', 'net.leadTime', lead), field('net-horizon', 'net.horizon', horizon)),
      isStop ? el('p', { className: 'hint', i18n: 'net.stopWindows' }) : el('div', {},
        append(windowsBox, [el('table', {}, el('caption', { i18n: 'net.windows' }),
          el('thead', {}, el('tr', {}, ['net.weekdayCol', 'net.start', 'net.end', 'net.slotMinutes', 'net.capacity', 'net.maxItems', 'net.action']
            .map((k) => el('th', { scope: 'col', i18n: k })))), rows)]),
        el('button', { type: 'button', className: 'secondary', i18n: 'net.addWindow',
          onclick: () => addRow({ weekday: 2, startsAt: '10:00', endsAt: '12:00', slotMinutes: 15, capacity: 4 }) })),
      el('button', { type: 'submit', className: 'primary', i18n: 'net.save' }), result);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const windows = Array.prototype.map.call(rows.children, (tr) => {
        const c = tr.querySelectorAll('select, input');
        return { weekday: Number(c[0].value), startsAt: c[1].value, endsAt: c[2].value, slotMinutes: Number(c[3].value),
          capacity: Number(c[4].value), maxItems: c[5].value ? Number(c[5].value) : null };
      });
      rowFields(rows, 'windows', ['weekday', 'startsAt', 'endsAt', 'slotMinutes', 'capacity', 'maxItems']);
      try {
        await api('/api/pickup-points/' + point.id, { method: 'PUT', body: { name: point.name, active: active.checked } });
        await api('/api/pickup-points/' + point.id + '/opening', { method: 'PUT', body: {
          leadTimeMinutes: Number(lead.value), horizonDays: Number(horizon.value), pickupOpenDays: opening.pickupOpenDays,
          stopSlotMinutes: opening.stopSlotMinutes, stopSlotCapacity: opening.stopSlotCapacity, windows: isStop ? [] : windows } });
        status(result, 'net.saved', form);
      } catch (error) {
        status(result, error, form, { active: active, leadTimeMinutes: lead, horizonDays: horizon, windows: windowsBox });
      }
    });
    ui.closures = el('div', { className: 'net-closures' });
    append(clear(ui.point), [form, el('h3', { i18n: 'net.closures' }), ui.closures]);
    renderClosures();
  }

  function renderClosures() {
    const closures = current.opening.closures;
    const [y, m] = month.split('-').map(Number);
    const first = new Date(Date.UTC(y, m - 1, 1));
    const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const offset = (first.getUTCDay() + 6) % 7;
    const key = (d) => month + '-' + String(d).padStart(2, '0');
    const closedBy = (day) => closures.find((c) => c.startsOn <= day && day <= c.endsOn);
    const cells = [];
    for (let i = 0; i < offset; i++) cells.push(el('td', {}));
    for (let d = 1; d <= days; d++) {
      const c = closedBy(key(d));
      cells.push(el('td', { className: c ? 'closed' : '', 'data-day': key(d) }, el('span', {}, String(d)), c ? el('span', { className: 'reason' }, ' ' + (c.reason || t('net.closed'))) : null));
    }
    const weeks = [];
    for (let i = 0; i < cells.length; i += 7) weeks.push(el('tr', {}, cells.slice(i, i + 7)));
    const label = new Intl.DateTimeFormat(document.documentElement.lang || 'fr', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(first);
    const shift = (n) => { const d = new Date(Date.UTC(y, m - 1 + n, 1)); month = d.toISOString().slice(0, 7); renderClosures(); };
    const startsOn = input('date', key(1), { id: 'net-closure-from', required: true });
    const endsOn = input('date', '', { id: 'net-closure-to' });
    const reason = input('text', '', { id: 'net-closure-reason', maxlength: '200' });
    const result = el('div', { 'aria-live': 'polite' });
    const form = el('form', { className: 'inline-fields net-closure-form' },
      field('net-closure-from', 'net.closureFrom', startsOn), field('net-closure-to', 'net.closureTo', endsOn, 'net.closureToHint'),
      field('net-closure-reason', 'net.closureReason', reason),
      el('div', { className: 'field' }, el('button', { type: 'submit', className: 'primary', i18n: 'net.addClosure' })), result);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api('/api/pickup-points/' + current.point.id + '/closures', { method: 'POST',
          body: { startsOn: startsOn.value, endsOn: endsOn.value || startsOn.value, reason: reason.value } });
        current.opening = await api('/api/pickup-points/' + current.point.id + '/opening');
        month = startsOn.value.slice(0, 7);
        renderClosures();
        ui.closures.querySelector('[role=status]') || ui.closures.prepend(el('p', { className: 'notice', role: 'status', i18n: 'net.closureAdded' }));
      } catch (error) {
        status(result, error, form, { startsOn: startsOn, endsOn: endsOn, reason: reason });
      }
    });
    append(clear(ui.closures), [
      el('div', { className: 'month-nav' },
        el('button', { type: 'button', className: 'secondary', i18n: 'net.prevMonth', onclick: () => shift(-1) }),
        el('h4', { className: 'month-label' }, label),
        el('button', { type: 'button', className: 'secondary', i18n: 'net.nextMonth', onclick: () => shift(1) })),
      el('div', { className: 'table-wrap' }, el('table', { className: 'month' }, el('caption', {}, label),
        el('thead', {}, el('tr', {}, WEEKDAYS.map((d) => el('th', { scope: 'col', i18n: 'net.weekdayShort.' + d })))), el('tbody', {}, weeks))),
      form,
      closures.length ? el('ul', { className: 'closure-list' }, closures.map((c) => el('li', {},
        c.startsOn + (c.endsOn !== c.startsOn ? ' → ' + c.endsOn : '') + (c.reason ? ' — ' + c.reason : '') + ' ',
        el('button', { type: 'button', className: 'secondary', i18n: 'net.remove', onclick: async () => {
          await api('/api/pickup-points/' + current.point.id + '/closures/' + c.id, { method: 'DELETE' });
          current.opening = await api('/api/pickup-points/' + current.point.id + '/opening');
          renderClosures();
        } })))) : el('p', { className: 'muted', i18n: 'net.noClosures' }),
    ]);
  }

  // ---- Bibliobus: routes, stops in route order (each editable), add a stop with weekly visits ----
  async function busSaved(key) {
    await loadBus();
    ui.bus.prepend(el('p', { className: 'notice', role: 'status', i18n: key }));
  }

  async function loadBus() {
    const buses = await api('/api/bibliobuses').catch(() => []);
    const blocks = [];
    buses.forEach((bus) => bus.routes.forEach((route) => {
      const stops = route.stops.slice().sort((a, b) => a.position - b.position);
      const visits = visitsTable([{ weekday: 2, arrivesAt: '10:00', departsAt: '11:00' }]);
      const name = input('text', '', { id: 'net-stop-name-' + route.id, required: true, maxlength: '200' });
      const address = input('text', '', { id: 'net-stop-address-' + route.id, maxlength: '300' });
      const position = input('number', (stops.length ? stops[stops.length - 1].position : 0) + 1, { id: 'net-stop-position-' + route.id, min: '1' });
      const result = el('div', { 'aria-live': 'polite' });
      const form = el('form', { className: 'net-stop-form' },
        el('h4', { i18n: 'net.addStop' }),
        el('div', { className: 'inline-fields' }, field(name.id, 'net.stopName', name), field(address.id, 'net.stopAddress', address),
          field(position.id, 'net.position', position)),
        visits.table,
        el('button', { type: 'submit', className: 'primary', i18n: 'net.createStop' }), result);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const schedule = visits.read();
        visits.name();
        try {
          await api('/api/routes/' + route.id + '/stops', { method: 'POST',
            body: { name: name.value, address: address.value, position: Number(position.value), schedule: schedule } });
          points = await api('/api/pickup-points?all=true').catch(() => points);
          await loadBus();
          ui.bus.prepend(el('p', { className: 'notice', role: 'status', i18n: 'net.stopCreated' }));
        } catch (error) {
          status(result, error, form, { name: name, address: address, position: position, schedule: visits.table });
        }
      });
      blocks.push(el('div', { className: 'route' },
        el('h3', {}, bus.name + ' — ' + route.name),
        el('ol', { className: 'stops' }, stops.map((s) => el('li', {}, el('strong', {}, s.name), s.address ? ' — ' + s.address : '',
          el('span', { className: 'muted' }, ' · ' + s.schedule.map((v) => t('net.weekdayShort.' + v.weekday) + ' ' + hhmm(v.arrivesAt) + '–' + hhmm(v.departsAt)).join(', ')),
          stopEditor(s, busSaved)))),
        form));
    }));
    append(clear(ui.bus), blocks.length ? blocks : [el('p', { className: 'muted', i18n: 'net.noBus' })]);
  }

  // ---- Branches and counters ----
  async function loadBranches() {
    const branches = await api('/api/branches').catch(() => []);
    const code = input('text', '', { id: 'net-branch-code', required: true, maxlength: '20' });
    const name = input('text', '', { id: 'net-branch-name', required: true, maxlength: '200' });
    const address = input('text', '', { id: 'net-branch-address', maxlength: '300' });
    const phone = input('tel', '', { id: 'net-branch-phone', maxlength: '40' });
    const result = el('div', { 'aria-live': 'polite' });
    const form = el('form', { className: 'inline-fields' },
      field(code.id, 'net.branchCode', code), field(name.id, 'net.branchName', name), field(address.id, 'net.branchAddress', address),
      field(phone.id, 'net.branchPhone', phone), el('div', { className: 'field' }, el('button', { type: 'submit', className: 'primary', i18n: 'net.addBranch' })), result);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api('/api/branches', { method: 'POST', body: { code: code.value, name: name.value, address: address.value, phone: phone.value } });
        loadBranches();
      } catch (error) {
        status(result, error, form, { code: code, name: name, address: address, phone: phone });
      }
    });
    append(clear(ui.branches), [
      el('ul', { className: 'branches' }, branches.map((b) => {
        const counter = input('text', '', { 'aria-label': t('net.counterName') + ' — ' + b.name, maxlength: '100', required: true });
        const add = el('form', { className: 'inline-form' }, counter, el('button', { type: 'submit', className: 'secondary', i18n: 'net.addCounter' }));
        add.addEventListener('submit', async (e) => {
          e.preventDefault();
          try {
            await api('/api/branches/' + b.id + '/counters', { method: 'POST', body: { name: counter.value } });
            points = await api('/api/pickup-points?all=true').catch(() => points);
            loadBranches();
          } catch (error) {
            status(result, error, add, { name: counter });
          }
        });
        const closed = b.closedWeekdays.length ? t('branches.closedOn', { days: b.closedWeekdays.map((d) => t('net.weekday.' + d)).join(', ') }) : '';
        return el('li', {}, el('strong', {}, b.name), ' (' + b.code + ') — ' + [b.address, b.phone, b.timeZone, closed].filter(Boolean).join(' · '),
          el('ul', {}, b.counters.map((c) => el('li', {}, c.name))), add, branchEditor(b));
      })),
      el('h3', { i18n: 'net.newBranch' }), form,
    ]);
  }

  // Name, address, phone, time zone and weekly closing days of one branch (its counters offer no slot those days).
  function branchEditor(b) {
    const id = 'branch-' + b.id;
    const name = input('text', b.name, { required: true, maxlength: '200' });
    const address = input('text', b.address, { maxlength: '300' });
    const phone = input('tel', b.phone, { maxlength: '40' });
    const zone = input('text', b.timeZone, { maxlength: '64' });
    const days = WEEKDAYS.map((d) => el('input', { type: 'checkbox', id: id + '-closed-' + d, value: String(d), checked: b.closedWeekdays.includes(d) }));
    const result = el('div', { 'aria-live': 'polite' });
    const form = el('form', { className: 'net-branch-edit' },
      el('div', { className: 'inline-fields' }, field(id + '-name', 'net.branchName', name), field(id + '-address', 'net.branchAddress', address),
        field(id + '-phone', 'net.branchPhone', phone), field(id + '-zone', 'branches.timeZone', zone, 'branches.timeZoneHint')),
      el('fieldset', { className: 'weekday-checks' }, el('legend', { i18n: 'branches.closedDays' }),
        days.map((box, i) => el('span', { className: 'check' }, box, el('label', { for: box.id, i18n: 'net.weekday.' + WEEKDAYS[i] })))),
      el('button', { type: 'submit', className: 'primary', i18n: 'net.save' }), result);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api('/api/branches/' + b.id, { method: 'PUT', body: { code: b.code, name: name.value, address: address.value, phone: phone.value,
          timeZone: zone.value, closedWeekdays: days.filter((box) => box.checked).map((box) => Number(box.value)) } });
        await loadBranches();
        ui.branches.prepend(el('p', { className: 'notice', role: 'status', i18n: 'net.saved' }));
      } catch (error) {
        status(result, error, form, { name: name, address: address, phone: phone, timeZone: zone, closedWeekdays: form.querySelector('fieldset') });
      }
    });
    return editor('branches.edit', { branch: b.name }, form);
  }

  // ---- Staff accounts ----
  async function loadStaff() {
    const accounts = await api('/api/staff').catch(() => []);
    const roles = ['counter', 'librarian', 'director'];
    const roleSelect = (value, id) => el('select', { id: id }, roles.map((r) => el('option', { value: r, selected: r === value, i18n: 'role.' + r })));
    const pointSelect = (value, id) => el('select', { id: id }, el('option', { value: '', i18n: 'net.noHome' }),
      points.map((p) => el('option', { value: String(p.id), selected: p.id === value }, p.name)));
    const result = el('div', { 'aria-live': 'polite' });
    const rows = accounts.map((s) => {
      const role = roleSelect(s.role, 'net-role-' + s.id);
      const home = pointSelect(s.homePickupPointId, 'net-home-' + s.id);
      role.setAttribute('aria-label', t('net.role') + ' — ' + s.username);
      home.setAttribute('aria-label', t('net.home') + ' — ' + s.username);
      const save = (active) => api('/api/staff/' + s.id, { method: 'PUT', body: { displayName: s.displayName, role: role.value,
        branchId: s.branchId, homePickupPointId: home.value ? Number(home.value) : null, active: active } })
        .then(() => { status(result, 'net.saved'); loadStaff(); }, (error) => status(result, error, row, { role: role, homePickupPointId: home }));
      const password = input('password', '', { id: 'net-password-' + s.id, required: true, minlength: '10', autocomplete: 'new-password' });
      const reset = el('form', { className: 'inline-form' }, field(password.id, 'net.password', password, 'net.passwordHint'),
        el('button', { type: 'submit', className: 'secondary', i18n: 'staffpw.set' }));
      reset.addEventListener('submit', async (e) => {
        e.preventDefault();
        try {
          await api('/api/staff/' + s.id + '/password', { method: 'POST', body: { password: password.value } });
          password.value = '';
          status(result, 'net.passwordChanged', reset);
        } catch (error) {
          status(result, error, reset, { password: password });
        }
      });
      const label = (key) => ({ i18nAttrs: { 'data-label': key } }); // the column's name on a narrow screen (#19)
      const row = el('tr', { className: s.active ? '' : 'inactive' },
        el('th', { scope: 'row' }, s.username), el('td', label('net.displayName'), s.displayName), el('td', label('net.role'), role),
        el('td', label('net.home'), home),
        el('td', Object.assign(label('net.state'), { i18n: s.active ? 'net.activeYes' : 'net.activeNo' })),
        el('td', Object.assign(label('net.action'), { className: 'actions' }),
          el('button', { type: 'button', className: 'secondary', i18n: 'net.save', onclick: () => save(s.active) }),
          el('button', { type: 'button', className: 'secondary', i18n: s.active ? 'net.disable' : 'net.enable', onclick: () => save(!s.active) }),
          editor('staffpw.summary', { user: s.username }, reset)));
      return row;
    });
    const username = input('text', '', { id: 'net-new-username', required: true, autocomplete: 'off', maxlength: '100' });
    const display = input('text', '', { id: 'net-new-name', required: true, maxlength: '200' });
    const password = input('password', '', { id: 'net-new-password', required: true, minlength: '10', autocomplete: 'new-password' });
    const role = roleSelect('counter', 'net-new-role');
    const home = pointSelect(null, 'net-new-home');
    const form = el('form', { className: 'inline-fields net-new-staff' },
      field(username.id, 'net.username', username), field(display.id, 'net.displayName', display), field(role.id, 'net.role', role),
      field(home.id, 'net.home', home), field(password.id, 'net.password', password, 'net.passwordHint'),
      el('div', { className: 'field' }, el('button', { type: 'submit', className: 'primary', i18n: 'net.createAccount' })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api('/api/staff', { method: 'POST', body: { username: username.value, displayName: display.value, role: role.value,
          password: password.value, homePickupPointId: home.value ? Number(home.value) : null } });
        await loadStaff();
        status(ui.staffResult, 'net.accountCreated');
      } catch (error) {
        status(result, error, form, { username: username, displayName: display, role: role, password: password, homePickupPointId: home });
      }
    });
    ui.staffResult = result;
    append(clear(ui.staff), [
      el('div', { className: 'table-wrap' }, el('table', {}, el('caption', { i18n: 'net.section.staff' }),
        el('thead', {}, el('tr', {}, ['net.username', 'net.displayName', 'net.role', 'net.home', 'net.state', 'net.action']
          .map((k) => el('th', { scope: 'col', i18n: k })))), el('tbody', {}, rows))),
      result, el('h3', { i18n: 'net.newAccount' }), form,
    ]);
  }

  return { title: 'net.title', render: render };
}
