// The counter: the day's pick list for a pickup point (scan to mark picked, "not on the shelf",
// print / PDF / CSV), and the day's appointments by slot, refreshed every 5 seconds so arrivals
// show up without reloading (with an optional sound).
//   GET  /api/pick-lists/{point}/{date}[?format=pdf|csv[&dialect=excel]&public=true]   POST …/picked {barcode}   POST …/prints
//   POST /api/holds/{id}/not-found   GET /api/appointments?pickupPointId=&date=   POST /api/appointments/{id}/handover
import { api, problemMessage, withQuery } from '../js/api.js';
import { formatDate, formatTime } from '../js/dates.js';
import { append, clear, el, field } from '../js/dom.js';
import { bind, lang } from '../js/i18n.js';

const REFRESH_MS = 5000;

function today() {
  // The branch's date, not the browser's: Europe/Paris (sv-SE formats as yyyy-MM-dd).
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(new Date());
}

export function counterView(hashBase) {
  let ui = null;
  let timer = null;
  let seenArrivals = null;

  async function render(main, params) {
    const points = await api('/api/pickup-points?all=true').catch(() => []);
    const point = el('select', { name: 'point' }, points.map((p) => el('option', { value: p.id }, p.name)));
    const date = el('input', { type: 'date', name: 'date', required: true });
    const scan = el('input', { type: 'text', name: 'barcode', autocomplete: 'off', inputmode: 'numeric', spellcheck: 'false' });
    const sound = el('input', { type: 'checkbox', name: 'sound' });
    ui = {
      point: point, date: date, scan: scan, sound: sound,
      status: el('p', { className: 'scan-status', role: 'status', 'aria-live': 'polite' }),
      list: el('section', { className: 'pick-list', 'aria-labelledby': 'pick-list-title' }),
      board: el('section', { className: 'counter-board', 'aria-labelledby': 'board-title' }),
    };
    append(clear(main), [
      el('h1', { className: 'no-print', i18n: 'counter.title' }),
      el('form', { className: 'search-form counter-form no-print', onSubmit: choose },
        field('counter-point', 'counter.point', point), field('counter-date', 'counter.date', date),
        el('button', { type: 'submit', className: 'primary', i18n: 'counter.show' })),
      el('form', { className: 'scan-form no-print', onSubmit: scanned },
        field('counter-scan', 'counter.scan', scan, 'counter.scanHint'),
        el('button', { type: 'submit', i18n: 'counter.scanSubmit' })),
      ui.status,
      ui.list,
      el('label', { className: 'sound no-print' }, sound, ' ', el('span', { i18n: 'counter.sound' })),
      ui.board,
    ]);
    update(params);
  }

  function choose(event) {
    event.preventDefault();
    window.location.hash = withQuery(hashBase, { point: ui.point.value, date: ui.date.value });
  }

  async function update(params) {
    ui.point.value = params.get('point') || ui.point.value;
    ui.date.value = params.get('date') || today();
    seenArrivals = null;
    await Promise.all([loadList(), loadBoard()]);
    if (timer) clearInterval(timer);
    timer = setInterval(() => {
      if (!document.body.contains(ui.board)) { clearInterval(timer); timer = null; return; }
      loadBoard();
    }, REFRESH_MS);
    ui.scan.focus();
  }

  const base = () => '/api/pick-lists/' + ui.point.value + '/' + ui.date.value;

  async function loadList() {
    let list;
    try {
      list = await api(base());
    } catch (error) {
      append(clear(ui.list), [el('div', { className: 'error-box', role: 'alert' }, problemMessage(error))]);
      return;
    }
    const printed = list.prints.length;
    append(clear(ui.list), [
      el('h2', { id: 'pick-list-title' }, el('span', { i18n: 'counter.pickList' }), ' — ', list.placeName, ' — ',
        formatDate(list.date + 'T12:00:00Z', lang(), list.timeZone)),
      el('p', { className: 'lead', i18n: 'counter.summary', args: { n: list.lineCount, picked: list.pickedCount } }),
      el('p', { className: 'no-print', i18n: printed ? 'counter.printed' : 'counter.neverPrinted',
        args: printed ? { n: printed, at: { time: list.prints[printed - 1].printedAt }, by: list.prints[printed - 1].printedBy } : {} }),
      el('p', { className: 'actions no-print' },
        el('button', { type: 'button', onClick: printScreen, i18n: 'counter.print' }), ' ',
        el('a', { href: base() + '?format=pdf', i18n: 'counter.pdf' }), ' · ',
        el('a', { href: base() + '?format=pdf&public=true', i18n: 'counter.pdfPublic' }), ' · ',
        el('a', { href: base() + '?format=csv', i18n: 'counter.csv' }), ' · ',
        el('a', { href: base() + '?format=csv&dialect=excel', i18n: 'counter.csvExcel', i18nAttrs: { title: 'counter.csvExcelHint' } })),
      list.groups.length === 0 ? el('p', { i18n: 'counter.empty' }) : null,
      list.groups.map(groupTable),
    ]);
  }

  function groupTable(group) {
    return el('div', { className: 'table-wrap' }, el('table', { className: 'pick-table' },
      el('caption', {}, group.name, ' — ', el('span', { i18n: 'counter.copies', args: { n: group.lines.length } })),
      el('thead', {}, el('tr', {}, ['counter.col.tick', 'counter.col.call', 'counter.col.title', 'counter.col.barcode',
        'counter.col.patron', 'counter.col.bag', 'counter.col.action'].map((k) => el('th', { scope: 'col', i18n: k })))),
      el('tbody', {}, group.lines.map((line) => el('tr', { className: (line.picked ? 'picked' : '') + (line.addedSinceLastPrint ? ' added' : ''), 'data-barcode': line.barcode },
        el('td', { className: 'tick' }, line.picked ? '☑' : '☐'),
        el('td', {}, line.callNumber, el('br'), el('small', {}, line.shelfLocation)),
        el('td', {}, el('strong', {}, line.title), el('br'), line.author,
          line.addedSinceLastPrint ? el('span', { className: 'badge', i18n: 'counter.new' }) : null),
        el('td', {}, line.barcode),
        el('td', {}, line.patronName, el('br'), el('small', {}, line.patronCardNumber)),
        el('td', {}, el('strong', {}, line.bagLabel), el('br'), line.slotLabel),
        el('td', { className: 'no-print' }, line.picked || line.holdStatus !== 'toPick' ? null
          : el('button', { type: 'button', className: 'link-button', onClick: () => notFound(line), i18n: 'counter.notFound' })))))));
  }

  async function scanned(event) {
    event.preventDefault();
    const barcode = ui.scan.value.trim();
    ui.scan.value = '';
    if (!barcode) return;
    try {
      const hold = await api(base() + '/picked', { method: 'POST', body: { barcode: barcode } });
      ui.status.className = 'scan-status ok';
      bind(ui.status, 'counter.scanned', { title: hold.title, barcode: barcode });
      await Promise.all([loadList(), loadBoard()]);
    } catch (error) {
      ui.status.className = 'scan-status error';
      append(clear(ui.status), problemMessage(error));
    }
    ui.scan.focus();
  }

  async function notFound(line) {
    try {
      const hold = await api('/api/holds/' + line.holdId + '/not-found', { method: 'POST' });
      ui.status.className = 'scan-status ok';
      bind(ui.status, hold.status === 'queued' ? 'counter.notFoundQueued' : 'counter.notFoundMoved', { title: line.title });
      await loadList();
    } catch (error) {
      ui.status.className = 'scan-status error';
      append(clear(ui.status), problemMessage(error));
    }
  }

  async function printScreen() {
    await api(base() + '/prints', { method: 'POST', body: { public: false } }).catch(() => null);
    window.print();
    loadList();
  }

  async function loadBoard() {
    let appointments;
    try {
      appointments = await api(withQuery('/api/appointments', { pickupPointId: ui.point.value, date: ui.date.value }));
    } catch (error) {
      append(clear(ui.board), [el('div', { className: 'error-box', role: 'alert' }, problemMessage(error))]);
      return;
    }
    const arrived = appointments.filter((a) => a.status === 'arrived').map((a) => a.id);
    const fresh = seenArrivals ? arrived.filter((id) => seenArrivals.indexOf(id) < 0) : [];
    seenArrivals = arrived;
    if (fresh.length && ui.sound.checked) beep();
    const slots = {};
    appointments.forEach((a) => { (slots[a.slotStart] = slots[a.slotStart] || []).push(a); });
    append(clear(ui.board), [
      el('h2', { id: 'board-title', i18n: 'counter.board' }),
      appointments.length === 0 ? el('p', { i18n: 'counter.noAppointments' }) : null,
      Object.keys(slots).sort().map((start) => el('div', { className: 'board-slot' },
        el('h3', {}, formatTime(start, lang())),
        el('ul', { className: 'appointments' }, slots[start].map((a) => appointmentItem(a, fresh.indexOf(a.id) >= 0))))),
    ]);
  }

  function appointmentItem(a, fresh) {
    const state = stateOf(a);
    return el('li', { className: 'appointment state-' + state + (fresh ? ' fresh' : ''), 'data-appointment': a.id },
      el('p', {}, el('strong', {}, a.patronName), ' — ', a.patronCardNumber, ' ',
        el('span', { className: 'state', i18n: 'counter.state.' + state })),
      el('ul', {}, a.holds.map((h) => el('li', {}, h.title, ' ', el('small', { i18n: 'counter.hold.' + h.status, args: { fallback: h.status } })))),
      state === 'arrived' || state === 'ready'
        ? el('button', { type: 'button', className: 'primary no-print', onClick: () => handOver(a), i18n: 'counter.handOver' }) : null);
  }

  async function handOver(a) {
    try {
      const receipt = await api('/api/appointments/' + a.id + '/handover', { method: 'POST' });
      ui.status.className = 'scan-status ok';
      bind(ui.status, 'counter.handedOver', { n: receipt.loans.length, name: a.patronName });
      showReceipt(receipt);
      await Promise.all([loadList(), loadBoard()]);
    } catch (error) {
      ui.status.className = 'scan-status error';
      append(clear(ui.status), problemMessage(error));
    }
  }

  function showReceipt(receipt) {
    const dialog = el('dialog', { className: 'receipt' },
      el('h2', { i18n: 'counter.receipt' }),
      el('p', {}, receipt.patronName, ' — ', receipt.patronCardNumber),
      el('ul', {}, receipt.loans.map((l) => el('li', {}, l.title, ' — ', l.dueOn
        ? el('span', { i18n: 'counter.dueOn', args: { date: formatDate(l.dueOn + 'T12:00:00Z', lang()) } })
        : el('span', { i18n: 'counter.dueAfterLockdown' })))),
      el('p', { className: 'actions' },
        el('button', { type: 'button', className: 'primary', onClick: () => window.print(), i18n: 'counter.print' }), ' ',
        el('button', { type: 'button', onClick: () => { dialog.close(); dialog.remove(); }, i18n: 'counter.close' })));
    document.body.appendChild(dialog);
    if (dialog.showModal) dialog.showModal();
  }

  return { title: 'counter.title', render: render, update: update };
}

// booked with something still to pick → toPick; all staged → ready; then arrived, completed, noShow, cancelled.
function stateOf(a) {
  if (a.status !== 'booked') return a.status;
  return a.holds.every((h) => h.status === 'ready') ? 'ready' : 'toPick';
}

function beep() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  const audio = new Context();
  const tone = audio.createOscillator();
  tone.frequency.value = 880;
  tone.connect(audio.destination);
  tone.start();
  tone.stop(audio.currentTime + 0.25);
}
