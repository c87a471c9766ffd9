// The counter's day: the pick list for a pickup point (scan to mark picked, "not on the shelf" confirmed
// and undoable for 5 minutes, print / PDF / CSV — only the print action is recorded as a printing), the
// returns desk (a scanned return closes the loan and says where the copy goes next), the day's
// appointments by slot, refreshed every 5 seconds so arrivals show up without reloading (with an
// optional sound), and the day's no-shows. It opens on the staff member's own pickup point.
//   GET  /api/pick-lists/{point}/{date}[?format=pdf|csv[&dialect=excel]&public=true]   POST …/picked {barcode}   POST …/prints
//   POST /api/holds/{id}/not-found[/undo]   GET /api/appointments?pickupPointId=&date=   POST /api/appointments/{id}/handover
//   POST /api/loans/returns {barcode}   GET /api/holds/{id}
import { api, problemMessage, withQuery } from '../js/api.js';
import { formatDate, formatTime } from '../js/dates.js';
import { append, clear, el, field } from '../js/dom.js';
import { clearFieldErrors, refuse } from '../js/field-errors.js';
import { bind, lang } from '../js/i18n.js';
import '../js/counter-strings.js';
import '../js/names-strings.js';

const REFRESH_MS = 5000;

function today(daysAhead) {
  // The branch's date, not the browser's: Europe/Paris (sv-SE formats as yyyy-MM-dd).
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(new Date(Date.now() + (daysAhead || 0) * 86400000));
}

// me(): the signed-in staff member ({ homePickupPointId, … }), whose pickup point the screen opens on.
export function counterView(hashBase, me) {
  let ui = null;
  let timer = null;
  let seenArrivals = null;

  async function render(main, params) {
    const points = await api('/api/pickup-points?all=true').catch(() => []);
    const home = me && me() ? me().homePickupPointId : null;
    const point = el('select', { name: 'point' }, points.map((p) => el('option', { value: p.id, selected: p.id === home }, p.name)));
    const date = el('input', { type: 'date', name: 'date', required: true });
    const scan = el('input', { type: 'text', name: 'barcode', autocomplete: 'off', inputmode: 'numeric', spellcheck: 'false' });
    const sound = el('input', { type: 'checkbox', name: 'sound' });
    const returned = el('input', { type: 'text', name: 'returned', autocomplete: 'off', inputmode: 'numeric', spellcheck: 'false' });
    ui = {
      point: point, date: date, scan: scan, sound: sound,
      status: el('p', { className: 'scan-status', role: 'status', 'aria-live': 'polite' }),
      list: el('section', { className: 'pick-list', 'aria-labelledby': 'pick-list-title' }),
      board: el('section', { className: 'counter-board', 'aria-labelledby': 'board-title' }),
      returned: returned,
      returnStatus: el('div', { className: 'scan-status', role: 'status', 'aria-live': 'polite' }),
      // #19 item 2: each arrival the board notices is written here, in view and read out, whether or not
      // the sound is on: the sound's visual equivalent, and the news for a screen-reader user.
      arrivals: el('p', { className: 'arrival-news no-print', role: 'status', 'aria-live': 'polite' }),
    };
    const shortcut = (key, days) => el('button', { type: 'button', className: 'secondary', i18n: key,
      onClick: () => { ui.date.value = today(days); window.location.hash = withQuery(hashBase, { point: ui.point.value, date: ui.date.value }); } });
    append(clear(main), [
      el('h1', { className: 'no-print', i18n: 'counter.title' }),
      el('form', { className: 'search-form counter-form no-print', onSubmit: choose },
        field('counter-point', 'counter.point', point), field('counter-date', 'counter.date', date),
        el('button', { type: 'submit', className: 'primary', i18n: 'counter.show' }),
        el('span', { className: 'day-shortcuts' }, shortcut('counter.today', 0), ' ', shortcut('counter.tomorrow', 1))),
      ui.scanForm = el('form', { className: 'scan-form no-print', onSubmit: scanned },
        field('counter-scan', 'counter.scan', scan, 'counter.scanHint'),
        el('button', { type: 'submit', i18n: 'counter.scanSubmit' })),
      ui.status,
      ui.returnForm = el('form', { className: 'scan-form returns-form no-print', onSubmit: returnScanned, 'aria-labelledby': 'returns-title' },
        el('h2', { id: 'returns-title', i18n: 'counter.returns' }),
        field('counter-return', 'counter.returnScan', returned, 'counter.returnHint'),
        el('button', { type: 'submit', i18n: 'counter.returnSubmit' })),
      ui.returnStatus,
      ui.list,
      el('label', { className: 'sound no-print' }, sound, ' ', el('span', { i18n: 'counter.sound' })),
      ui.arrivals,
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
        args: printed ? { n: printed, at: { dateTime: list.prints[printed - 1].printedAt, zone: list.timeZone }, by: list.prints[printed - 1].printedBy } : {} }),
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
    const cols = ['counter.col.tick', 'counter.col.call', 'counter.col.title', 'counter.col.barcode', 'counter.col.patron', 'counter.col.bag', 'counter.col.action'];
    // data-label: the column's name, shown before the value when a narrow screen stacks the table (#19).
    const cell = (i, props, ...children) => el('td', Object.assign({ i18nAttrs: { 'data-label': cols[i] } }, props), ...children);
    return el('div', { className: 'table-wrap' }, el('table', { className: 'pick-table' },
      el('caption', {}, group.name, ' — ', el('span', { i18n: 'counter.copies', args: { n: group.lines.length } })),
      el('thead', {}, el('tr', {}, cols.map((k) => el('th', { scope: 'col', i18n: k })))),
      el('tbody', {}, group.lines.map((line) => el('tr', { className: (line.picked ? 'picked' : '') + (line.addedSinceLastPrint ? ' added' : ''), 'data-barcode': line.barcode },
        cell(0, { className: 'tick' }, line.picked ? '☑' : '☐'),
        cell(1, {}, line.callNumber, el('br'), el('small', {}, line.shelfLocation)),
        cell(2, {}, el('strong', {}, line.title), el('br'), line.author,
          line.addedSinceLastPrint ? el('span', { className: 'badge', i18n: 'counter.new' }) : null),
        cell(3, {}, line.barcode),
        cell(4, {}, line.patronName, el('br'), el('small', {}, line.patronCardNumber)),
        cell(5, {}, el('strong', {}, line.bagLabel), el('br'), line.slotStart ? line.slotLabel : el('span', { i18n: 'pick.noSlot' })),
        cell(6, { className: 'no-print' }, line.picked || line.holdStatus !== 'toPick' ? null : notFoundButton(line)))))));
  }

  // "Not on the shelf" asks to confirm first: it marks the copy lost and moves the hold on.
  function notFoundButton(line) {
    const cell = el('span', {});
    const ask = el('button', { type: 'button', className: 'link-button', i18n: 'counter.notFound', onClick: () => {
      const yes = el('button', { type: 'button', className: 'danger', i18n: 'counter.notFoundConfirm', args: { title: line.title },
        onClick: () => notFound(line) });
      const no = el('button', { type: 'button', className: 'link-button', i18n: 'counter.notFoundKeep',
        onClick: () => { append(clear(cell), [ask]); ask.focus(); } });
      append(clear(cell), [yes, ' ', no]);
      yes.focus();
    } });
    return append(cell, [ask]);
  }

  async function scanned(event) {
    event.preventDefault();
    const barcode = ui.scan.value.trim();
    ui.scan.value = '';
    clearFieldErrors(ui.scanForm);
    if (!barcode) return;
    try {
      const hold = await api(base() + '/picked', { method: 'POST', body: { barcode: barcode } });
      ui.status.className = 'scan-status ok';
      bind(ui.status, 'counter.scanned', { title: hold.title, barcode: barcode });
      await Promise.all([loadList(), loadBoard()]);
    } catch (error) {
      ui.status.className = 'scan-status error';
      refuse(ui.scanForm, ui.status, error, { '*': ui.scan }); // the barcode refused, tied to its field (#19)
    }
    ui.scan.focus();
  }

  async function notFound(line) {
    try {
      const hold = await api('/api/holds/' + line.holdId + '/not-found', { method: 'POST' });
      ui.status.className = 'scan-status ok';
      const undo = el('button', { type: 'button', className: 'secondary', i18n: 'counter.notFoundUndo', onClick: () => undoNotFound(line) });
      append(clear(ui.status), [el('span', { i18n: hold.status === 'queued' ? 'counter.notFoundQueued' : 'counter.notFoundMoved', args: { title: line.title } }),
        ' ', undo]);
      await loadList();
      undo.focus();
    } catch (error) {
      ui.status.className = 'scan-status error';
      append(clear(ui.status), problemMessage(error));
    }
  }

  async function undoNotFound(line) {
    try {
      await api('/api/holds/' + line.holdId + '/not-found/undo', { method: 'POST' });
      ui.status.className = 'scan-status ok';
      bind(ui.status, 'counter.notFoundUndone', { title: line.title });
      await loadList();
    } catch (error) {
      ui.status.className = 'scan-status error';
      append(clear(ui.status), problemMessage(error));
    }
    ui.scan.focus();
  }

  // A document brought back: the loan ends; the copy goes to the oldest hold waiting for it, or back on the shelf.
  async function returnScanned(event) {
    event.preventDefault();
    const barcode = ui.returned.value.trim();
    ui.returned.value = '';
    clearFieldErrors(ui.returnForm);
    if (!barcode) return;
    try {
      const back = await api('/api/loans/returns', { method: 'POST', body: { barcode: barcode } });
      const next = back.nextHoldId ? await api('/api/holds/' + back.nextHoldId).catch(() => null) : null;
      ui.returnStatus.className = 'scan-status ok';
      append(clear(ui.returnStatus), [
        el('p', { i18n: 'counter.returned', args: { title: back.title, barcode: barcode } }),
        next ? el('p', { className: 'next-hold', i18n: next.status === 'toPick' ? 'counter.returnToPick' : 'counter.returnInTransit',
          args: { card: next.patronCardNumber, place: next.pickupPointName } })
          : el('p', { i18n: 'counter.returnShelf' }),
        back.librarySystemMessage ? el('p', { className: 'form-error' }, back.librarySystemMessage) : null,
      ]);
      if (next && String(next.pickupPointId) === String(ui.point.value)) await loadList();
    } catch (error) {
      ui.returnStatus.className = 'scan-status error';
      refuse(ui.returnForm, ui.returnStatus, error, { '*': ui.returned });
    }
    ui.returned.focus();
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
    if (fresh.length) {
      const names = appointments.filter((a) => fresh.indexOf(a.id) >= 0)
        .map((a) => a.patronName + ' (' + a.patronCardNumber + ', ' + formatTime(a.slotStart, lang()) + ')').join(', ');
      bind(ui.arrivals, 'counter.arrivalNews', { n: fresh.length, names: names });
    }
    const slots = {};
    appointments.forEach((a) => { (slots[a.slotStart] = slots[a.slotStart] || []).push(a); });
    const noShows = appointments.filter((a) => a.status === 'noShow');
    append(clear(ui.board), [
      el('h2', { id: 'board-title', i18n: 'counter.board' }),
      appointments.length === 0 ? el('p', { i18n: 'counter.noAppointments' }) : null,
      Object.keys(slots).sort().map((start) => el('div', { className: 'board-slot' },
        el('h3', {}, formatTime(start, lang())),
        el('ul', { className: 'appointments' }, slots[start].map((a) => appointmentItem(a, fresh.indexOf(a.id) >= 0))))),
      el('h2', { id: 'no-shows-title', i18n: 'counter.noShows', args: { n: noShows.length } }),
      noShows.length === 0 ? el('p', { i18n: 'counter.noNoShows' }) : el('ul', { className: 'no-shows', 'aria-labelledby': 'no-shows-title' },
        noShows.map((a) => el('li', {}, el('strong', {}, formatTime(a.slotStart, lang())), ' — ', a.patronName, ' (', a.patronCardNumber, ') — ',
          a.holds.map((h) => h.title).join(' · ')))),
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
