// One surprise-selection request on the librarian's workbench ("#/selection?id=12"):
//   GET  /api/selection-requests/{id}                       → { request, proposal, holds }
//   POST /api/selection-requests/{id}/claim | /release | /proposal
//   POST /api/selection-requests/{id}/proposal/pin | /remove | /swap     → the bundle
//   GET  /api/selection-requests/{id}/candidates?q=         → available replacements, explained
//   POST /api/selection-requests/{id}/confirm { copyIds, note }          → holds, channel "selection"
// Every answer redraws the page from the server's state; refusals (409 problems) are read out.
import '../js/selection-strings.js';
import { api } from '../js/api.js';
import { append, clear, el, field } from '../js/dom.js';
import { refuse } from '../js/field-errors.js';
import { bind } from '../js/i18n.js';
import { tastes } from './selections.js';

export function workbenchView(currentStaff) {
  let ui = null;
  let id = null;
  let detail = null;

  function render(main, params) {
    id = params.get('id');
    ui = {
      root: el('section', { className: 'workbench', 'data-state': 'loading' }),
      message: el('div', { className: 'notice', role: 'status', 'aria-live': 'polite', hidden: true }),
      error: el('div', { className: 'form-error', 'aria-live': 'assertive' }),
      body: el('div', {}),
    };
    clear(main).appendChild(ui.root);
    append(ui.root, [
      el('p', { className: 'back' }, el('a', { href: '#/selections', i18n: 'sel.bench.back' })),
      el('h1', { i18n: 'sel.bench.title', args: { id: id } }),
      ui.message, ui.error, ui.body]);
    load();
  }

  async function load() {
    try {
      draw(await api('/api/selection-requests/' + encodeURIComponent(id)));
    } catch (failure) {
      fail(failure);
    }
  }

  // Runs a call, then shows the request as it now stands (and the message, if any).
  async function act(call, messageKey, messageArgs) {
    clear(ui.error);
    ui.error.classList.remove('shown');
    ui.root.setAttribute('data-state', 'working');
    try {
      const answer = await call();
      await load();
      if (messageKey) say(messageKey, typeof messageArgs === 'function' ? messageArgs(answer) : messageArgs);
    } catch (failure) {
      fail(failure);
    }
  }

  function say(key, args) {
    bind(ui.message, key, args);
    ui.message.hidden = false;
  }

  // The refusal read out, and tied to the field it names (the note: its name is its JSON one).
  function fail(failure) {
    ui.root.setAttribute('data-state', 'error');
    refuse(ui.body, ui.error, failure);
  }

  function post(path, body) {
    return api('/api/selection-requests/' + id + path, { method: 'POST', body: body });
  }

  function draw(answer) {
    detail = answer;
    const r = answer;
    ui.root.setAttribute('data-state', r.status);
    ui.message.hidden = true;
    clear(ui.body);
    append(ui.body, [requestDetails(r), actions(r)]);
    if (answer.proposal && (r.status === 'claimed' || r.status === 'proposed')) ui.body.appendChild(proposal(answer.proposal, r));
    if (answer.holds && answer.holds.length) ui.body.appendChild(holds(answer.holds));
  }

  function mine(r) {
    return (r.status === 'claimed' || r.status === 'proposed') && r.claimedByStaffId === currentStaff().id;
  }

  function actions(r) {
    const box = el('div', { className: 'bench-actions' });
    if (r.status === 'confirmed' || r.status === 'cancelled') {
      box.appendChild(el('p', { className: 'lead', i18n: r.status === 'confirmed' ? 'sel.bench.closedConfirmed' : 'sel.bench.closedCancelled',
        args: { at: { dateTime: r.confirmedAt || r.cancelledAt } } }));
      return box;
    }
    if ((r.status === 'claimed' || r.status === 'proposed') && !mine(r)) {
      box.appendChild(el('p', { className: 'lead', i18n: 'sel.bench.other', args: { name: r.claimedByName || '', until: { time: r.claimedUntil } } }));
      return box;
    }
    if (mine(r)) box.appendChild(el('p', { className: 'claim-info', i18n: 'sel.bench.mine', args: { until: { time: r.claimedUntil } } }));
    const hasProposal = detail.proposal && detail.proposal.items.length > 0;
    const count = (answer) => ({ n: answer.items.length });
    box.appendChild(el('button', { type: 'button', className: 'primary', id: 'propose', i18n: hasProposal ? 'sel.bench.again' : 'sel.bench.propose',
      onClick: () => act(() => post('/proposal'), 'sel.bench.proposed', count) }));
    if (r.status === 'open') {
      box.appendChild(el('button', { type: 'button', className: 'secondary', id: 'claim', i18n: 'sel.bench.claim',
        onClick: () => act(() => post('/claim')) }));
    } else {
      box.appendChild(el('button', { type: 'button', className: 'secondary', id: 'release', i18n: 'sel.bench.release',
        onClick: () => act(() => post('/release')) }));
    }
    return box;
  }

  function proposal(p, r) {
    const section = el('section', { className: 'proposal', 'aria-labelledby': 'proposal-title' },
      el('h2', { id: 'proposal-title', i18n: 'sel.bench.proposal' }));
    if (p.unmatched.length) section.appendChild(el('p', { className: 'warning', i18n: 'sel.bench.unmatched', args: { words: p.unmatched.join(', ') } }));
    const excluded = Object.keys(p.excluded).filter((k) => p.excluded[k] > 0);
    if (excluded.length) {
      section.appendChild(el('p', { className: 'muted excluded' }, el('span', { i18n: 'sel.bench.excluded' }), ' ',
        excluded.map((k, i) => [i ? ', ' : null, el('span', { i18n: 'sel.excl.' + k, args: { n: p.excluded[k], fallback: k } })])));
    }
    if (p.shortfall > 0) section.appendChild(el('p', { className: 'warning', i18n: 'sel.bench.shortfall', args: { n: p.shortfall } }));
    if (p.droppedPins.length) section.appendChild(el('p', { className: 'warning', i18n: 'sel.bench.dropped' }));
    if (!p.items.length) {
      section.appendChild(el('p', { i18n: 'sel.bench.empty' }));
      return section;
    }
    section.appendChild(el('ol', { className: 'bundle' }, p.items.map((item) => itemCard(item))));
    const note = el('textarea', { name: 'note', rows: '2', maxlength: '500' });
    note.value = r.librarianNote || '';
    const copyIds = p.items.map((i) => i.copyId);
    section.appendChild(el('form', { className: 'confirm-form', onSubmit: (event) => {
      event.preventDefault();
      act(() => post('/confirm', { copyIds: copyIds, note: note.value.trim() }), 'sel.bench.confirmed', (answer) => ({ n: answer.holds.length }));
    } },
    field('sel-note', 'sel.bench.note', note, 'sel.bench.noteHint'),
    el('button', { type: 'submit', className: 'primary', id: 'confirm', i18n: 'sel.bench.confirm', args: { n: copyIds.length } })));
    return section;
  }

  function itemCard(item) {
    const where = el('p', { className: 'where ' + (item.local ? 'local' : 'remote') },
      el('strong', { i18n: item.local ? 'sel.item.here' : 'sel.item.shuttle' }), ' — ',
      el('span', { i18n: 'sel.item.where', args: { branch: item.branchName, shelf: item.shelfLocation, call: item.callNumber, barcode: item.barcode } }));
    const swapBox = el('div', { className: 'swap', hidden: true });
    const card = el('li', { className: 'title-card bundle-item' + (item.pinned ? ' pinned' : ''), 'data-copy-id': String(item.copyId) },
      el('h3', { className: 'title-name' }, item.title),
      item.authors.length ? el('p', { className: 'authors' }, item.authors.join(' ; ')) : null,
      el('p', { className: 'tags' },
        el('span', { className: 'tag', i18n: 'audience.' + item.audience, args: { fallback: item.audience } }),
        el('span', { className: 'tag', i18n: 'format.' + item.format, args: { fallback: item.format } }),
        item.genres.map((g) => el('span', { className: 'tag genre', i18n: 'names.genre', args: { genre: { genre: g } } })),
        item.pinned ? el('span', { className: 'tag pinned-tag', i18n: 'sel.item.pinned' }) : null),
      where,
      el('ul', { className: 'reasons' }, item.reasons.map((reason) => el('li', {}, reason))),
      scoreDetails(item),
      el('div', { className: 'item-actions' },
        el('button', { type: 'button', className: 'secondary pin', i18n: item.pinned ? 'sel.item.unpin' : 'sel.item.pin',
          onClick: () => act(() => post('/proposal/pin', { copyId: item.copyId, pinned: !item.pinned })) }),
        el('button', { type: 'button', className: 'secondary remove', i18n: 'sel.item.remove',
          onClick: () => act(() => post('/proposal/remove', { copyId: item.copyId })) }),
        el('button', { type: 'button', className: 'secondary swap-open', 'aria-expanded': 'false', i18n: 'sel.item.swap',
          onClick: (event) => openSwap(swapBox, item, event.currentTarget) })),
      swapBox);
    return card;
  }

  function openSwap(box, item, opener) {
    const open = box.hidden;
    box.hidden = !open;
    opener.setAttribute('aria-expanded', String(open));
    if (!open) return;
    clear(box);
    const q = el('input', { type: 'search', name: 'q', autocomplete: 'off' });
    const results = el('ul', { className: 'candidates', 'aria-live': 'polite' });
    const search = async (event) => {
      event.preventDefault();
      clear(results);
      let found;
      try {
        found = await api('/api/selection-requests/' + id + '/candidates?q=' + encodeURIComponent(q.value.trim()));
      } catch (failure) {
        fail(failure);
        return;
      }
      if (!found.length) results.appendChild(el('li', { i18n: 'sel.swap.none' }));
      found.forEach((c) => results.appendChild(el('li', { className: 'candidate' },
        el('strong', {}, c.title), ' — ', c.authors.join(' ; '), ' ',
        el('span', { className: 'muted', i18n: c.local ? 'sel.item.here' : 'sel.item.shuttle' }),
        el('span', { className: 'muted' }, ' · ' + c.reasons.slice(0, 2).join(' · ')), ' ',
        el('button', { type: 'button', className: 'secondary choose', i18n: 'sel.swap.choose',
          onClick: () => act(() => post('/proposal/swap', { copyId: item.copyId, newCopyId: c.copyId })) }))));
    };
    const fieldId = 'sel-swap-' + item.copyId;
    append(box, [el('form', { className: 'swap-form', role: 'search', onSubmit: search },
      field(fieldId, 'sel.swap.q', q),
      el('button', { type: 'submit', className: 'secondary', i18n: 'sel.swap.search' })), results]);
    q.focus();
  }

  // A window title of its own, not the queue's (#19, RGAA 8.6).
  return { title: 'sel.bench.windowTitle', render: render, update: render.bind(null, document.getElementById('main')) };
}

function scoreDetails(item) {
  return el('details', { className: 'score' },
    el('summary', { i18n: 'sel.item.score', args: { score: item.score } }),
    el('table', {}, el('caption', { className: 'visually-hidden', i18n: 'caption.score' }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', i18n: 'sel.item.signal' }), el('th', { scope: 'col', i18n: 'sel.item.points' }))),
      el('tbody', {}, item.signals.map((s) => el('tr', {},
        el('td', {}, el('span', { i18n: 'sel.signal.' + s.kind, args: { fallback: s.kind } }), s.label ? ' : ' + s.label : ''),
        el('td', {}, (s.points > 0 ? '+' : '') + Number(s.points.toFixed(2))))))));
}

function requestDetails(r) {
  const rows = [
    ['sel.f.patron', r.patronFirstName + ' (' + r.patronCardNumber + ')'],
    ['sel.f.pickup', r.pickupPointName],
    ['sel.f.count', String(r.count)],
    ['sel.f.audience', r.audience ? { key: 'audience.' + r.audience } : { key: 'sel.any' }],
    ['sel.f.formats', r.formats.length ? r.formats.map((f) => ({ key: 'format.' + f })) : { key: 'sel.any' }],
    ['sel.f.languages', r.languages.length ? { key: 'names.languages', args: { languages: { languages: r.languages } } } : { key: 'sel.any' }],
    ['sel.f.genres', r.genres.length ? r.genres.map((g) => ({ key: 'names.genre', args: { genre: { genre: g } } })) : '—'],
    ['sel.f.likedAuthors', r.likedAuthors.join(', ') || '—'],
    ['sel.f.likedTitles', r.likedTitles.join(', ') || '—'],
    ['sel.f.avoid', r.avoid.join(', ') || '—'],
    ['sel.f.notes', r.notes || '—'],
    ['sel.f.history', { key: r.useHistory ? 'sel.history.yes' : 'sel.history.no' }],
    ['sel.f.repeat', r.repeatEveryWeeks
      ? { key: 'sel.repeat', args: { weeks: r.repeatEveryWeeks, times: r.repeatTimes, occurrence: r.occurrence } } : { key: 'sel.once' }],
    ['sel.f.channel', { key: 'sel.channel.' + r.channel }],
    ['sel.f.received', { key: 'sel.at', args: { at: { dateTime: r.createdAt } } }],
  ];
  if (r.librarianNote) rows.push(['sel.f.note', r.librarianNote]);
  const list = el('dl', { className: 'details request' });
  rows.forEach((row) => append(list, [el('dt', { i18n: row[0] }), el('dd', {}, value(row[1]))]));
  return el('section', { className: 'request', 'aria-labelledby': 'request-title' },
    el('h2', { id: 'request-title', i18n: 'sel.bench.request' }),
    el('p', { className: 'state-line' }, el('span', { className: 'state state-' + r.status, i18n: 'sel.status.' + r.status }),
      ' — ', tastes(r)),
    list);
}

function value(v) {
  if (Array.isArray(v)) return v.map((x, i) => [i ? ', ' : null, value(x)]);
  if (v && typeof v === 'object') return el('span', { i18n: v.key, args: v.args });
  return v;
}

function holds(list) {
  return el('section', { className: 'holds', 'aria-labelledby': 'holds-title' },
    el('h2', { id: 'holds-title', i18n: 'sel.bench.holds' }),
    el('ul', {}, list.map((h) => el('li', { 'data-hold-id': String(h.id) },
      el('strong', {}, h.title), ' — ', h.barcode || '', ' — ',
      el('span', { i18n: 'sel.hold.' + h.status, args: { fallback: h.status } })))));
}
