// The title page (#/titre/42): what the document is, where a copy is on the shelf, and "Réserver":
// the patron chooses a pickup point, the hold is placed, and a pickup slot is offered at once (the
// "drive" way) or later from "Mes réservations".
//   GET /api/titles/{id} → { title, authors, publisher, year, audience, format, genres,
//                            availability: [{ branchId, branchName, onShelf, copies }] }
//   POST /api/holds { titleId, pickupPointId } → 201 { id, status, queuePosition, pickupPointId, pickupPointName, … }
import { ApiError, api, idempotentPost, problemMessage } from './api.js';
import { append, clear, el } from './dom.js';
import { clearFieldErrors, refuse, refuseHere } from './field-errors.js';
import { bind, t } from './i18n.js';
import { ACTIVE, holdStatus, isAllocated } from './holds.js';
import { groupByBranch, loadPickupPoints, shortName } from './pickup-points.js';

const LAST_POINT = 'clickcollect.pickupPoint';

// ctx: { patron() → the signed-in patron or null, setTitle(text), backHash() → the last search }
export function titleView(ctx) {
  function render(main, params, path) {
    const id = /^\d+$/.test(path[0] || '') ? path[0] : null;
    const heading = el('h1', { i18n: 'title.loading' });
    const root = el('section', { className: 'title-page', 'data-state': 'loading' },
      el('p', { className: 'back' }, el('a', { href: ctx.backHash(), i18n: 'title.back' })),
      heading);
    clear(main).appendChild(root);
    if (!id) {
      notFound(root, heading);
      return;
    }
    // A signed-in patron's own holds say whether this title is already reserved (a failure here
    // only loses that hint: the server refuses a second hold anyway).
    const mine = ctx.patron() ? api('/api/holds').then((holds) => (Array.isArray(holds) ? holds : []), () => []) : Promise.resolve([]);
    Promise.all([api('/api/titles/' + id), loadPickupPoints(), mine]).then(
      (answers) => { if (root.isConnected) show(root, heading, answers[0], answers[1], answers[2]); },
      (error) => {
        if (!root.isConnected) return;
        if (error instanceof ApiError && error.status === 404) notFound(root, heading);
        else {
          bind(heading, 'title.unavailable');
          root.setAttribute('data-state', 'error');
          root.appendChild(el('p', { className: 'form-error' }, problemMessage(error)));
        }
      });
  }

  function notFound(root, heading) {
    bind(heading, 'title.notFound');
    ctx.setTitle(t('title.notFound'));
    root.setAttribute('data-state', 'error');
    root.appendChild(el('p', { className: 'intro', i18n: 'title.notFoundHint' }));
  }

  function show(root, heading, title, points, holds) {
    heading.removeAttribute('data-i18n');
    heading.textContent = title.title;
    ctx.setTitle(title.title);
    root.setAttribute('data-state', 'shown');
    const authors = (title.authors || []).join(' ; ');
    const published = [title.publisher, title.year].filter(Boolean).join(', ');
    append(root, [
      authors ? el('p', { className: 'authors lead' }, authors) : null,
      published ? el('p', { className: 'published' }, published) : null,
      el('p', { className: 'tags' },
        el('span', { className: 'tag', i18n: 'audience.' + title.audience, args: { fallback: title.audience } }),
        el('span', { className: 'tag', i18n: 'format.' + title.format, args: { fallback: title.format } }),
        (title.genres || []).map((g) => el('span', { className: 'tag genre', i18n: 'names.genre', args: { genre: { genre: g } } }))),
      availability(title),
      reserveSection(title, points, holds.filter((h) => String(h.titleId) === String(title.id) && ACTIVE.indexOf(h.status) >= 0)[0]),
    ]);
  }

  function availability(title) {
    const branches = title.availability || [];
    const section = el('section', { className: 'availability-list', 'aria-labelledby': 'availability-heading' },
      el('h2', { id: 'availability-heading', i18n: 'title.where' }));
    if (branches.length === 0) {
      section.appendChild(el('p', { className: 'unavailable', i18n: 'title.noCopy' }));
      return section;
    }
    section.appendChild(el('ul', { className: 'branches' }, branches.map((b) => el('li', { className: b.onShelf > 0 ? 'available' : 'unavailable' },
      el('strong', {}, b.branchName),
      b.onShelf > 0
        ? el('span', { i18n: 'title.onShelf', args: { n: b.onShelf, copies: b.copies } })
        : el('span', { i18n: 'title.noneOnShelf', args: { n: b.copies } })))));
    return section;
  }

  function reserveSection(title, points, existing) {
    const section = el('section', { className: 'reserve', 'aria-labelledby': 'reserve-heading' },
      el('h2', { id: 'reserve-heading', i18n: 'reserve.title' }));
    if (existing) {
      section.appendChild(alreadyReserved(existing));
      return section;
    }
    if (!ctx.patron()) {
      append(section, [
        el('p', { i18n: 'reserve.needSignIn' }),
        el('a', { className: 'button primary', href: '#/connexion?retour=' + encodeURIComponent('#/titre/' + title.id), i18n: 'nav.signIn' }),
      ]);
      return section;
    }
    const form = reserveForm(title, points, section);
    form.hidden = true;
    const open = el('button', { type: 'button', className: 'primary', 'aria-expanded': 'false', 'aria-controls': 'reserve-form', i18n: 'reserve.action',
      onClick: () => {
        form.hidden = false;
        open.hidden = true;
        open.setAttribute('aria-expanded', 'true');
        form.querySelector('legend').focus();
      } });
    append(section, [open, form]);
    return section;
  }

  function reserveForm(title, points, section) {
    const onShelf = {};
    (title.availability || []).forEach((b) => { onShelf[b.branchId] = b.onShelf; });
    const remembered = rememberedPoint();
    const radios = [];
    const groups = groupByBranch(points).map((group) => el('fieldset', { className: 'branch-group' },
      el('legend', {}, group.branchName),
      el('p', { className: 'hint', i18n: onShelf[group.branchId] > 0 ? 'reserve.hereOnShelf' : 'reserve.fromElsewhere' }),
      group.points.map((point) => {
        const radio = el('input', { type: 'radio', name: 'pickupPointId', id: 'point-' + point.id, value: String(point.id) });
        if (String(point.id) === remembered) radio.checked = true;
        radios.push(radio);
        return el('div', { className: 'choice' }, radio,
          el('label', { for: radio.id },
            el('span', { className: 'choice-name' }, shortName(point)),
            el('span', { className: 'choice-kind', i18n: point.kind === 'bibliobusStop' ? 'reserve.kind.stop' : 'reserve.kind.counter' })));
      })));
    const error = el('div', { className: 'form-error', 'aria-live': 'assertive' });
    const submit = el('button', { type: 'submit', className: 'primary', i18n: 'reserve.confirm' });
    const post = idempotentPost('/api/holds');

    async function place(event) {
      event.preventDefault();
      clear(error);
      clearFieldErrors(form);
      const chosen = radios.filter((r) => r.checked)[0];
      if (!chosen) {
        if (!refuseHere(form, error, choice, 'reserve.choosePoint')) submit.focus();
        return;
      }
      submit.disabled = true;
      bind(submit, 'reserve.pending');
      try {
        const hold = await post({ titleId: title.id, pickupPointId: Number(chosen.value) });
        remember(chosen.value);
        form.replaceWith(placed(hold));
      } catch (failure) {
        refuse(form, error, failure, { pickupPointId: choice });
        if (failure instanceof ApiError && failure.problem.code === 'already_held') {
          error.appendChild(el('p', {}, el('a', { href: '#/reservations', i18n: 'reserve.seeMine' })));
        }
      } finally {
        submit.disabled = false;
        bind(submit, 'reserve.confirm');
      }
    }

    const choice = el('fieldset', { className: 'pickup-choice' },
      el('legend', { tabindex: '-1', i18n: 'reserve.where' }),
      groups);
    const form = el('form', { id: 'reserve-form', className: 'reserve-form', onSubmit: place, novalidate: true }, choice, error, submit);
    return form;
  }

  function alreadyReserved(hold) {
    const status = holdStatus(hold);
    return el('div', { className: 'outcome notice already' },
      el('p', {}, el('strong', { i18n: 'reserve.already' })),
      el('p', {}, el('span', { i18n: 'reserve.at', args: { point: hold.pickupPointName } }), ' ',
        el('span', { className: 'hold-status', i18n: status.i18n, args: status.args })),
      el('p', { className: 'actions' },
        isAllocated(hold) && !hold.appointmentId
          ? [el('a', { className: 'button primary', href: '#/creneau?point=' + hold.pickupPointId + '&holds=' + hold.id, i18n: 'reserve.chooseSlot' }), ' ']
          : null,
        el('a', { className: 'button secondary', href: '#/reservations', i18n: 'reserve.seeMine' })));
  }

  // The hold is placed: say where it stands and offer a slot now (copy set aside) or later.
  function placed(hold) {
    const status = holdStatus(hold);
    const box = el('div', { className: 'outcome notice', role: 'status', tabindex: '-1' },
      el('p', { className: 'outcome-title' }, el('strong', { i18n: 'reserve.done' })),
      el('p', {}, el('span', { i18n: 'reserve.at', args: { point: hold.pickupPointName } }), ' ',
        el('span', { className: 'hold-status', i18n: status.i18n, args: status.args })));
    if (isAllocated(hold)) {
      append(box, [
        el('p', { i18n: 'reserve.slotNow' }),
        el('p', { className: 'actions' },
          el('a', { className: 'button primary', href: '#/creneau?point=' + hold.pickupPointId + '&holds=' + hold.id, i18n: 'reserve.chooseSlot' }),
          ' ',
          el('a', { className: 'button secondary', href: '#/reservations', i18n: 'reserve.later' })),
      ]);
    } else {
      append(box, [
        el('p', { i18n: 'reserve.queued' }),
        el('p', { className: 'actions' }, el('a', { className: 'button secondary', href: '#/reservations', i18n: 'reserve.seeMine' })),
      ]);
    }
    setTimeout(() => box.focus(), 0);
    return box;
  }

  return { title: 'title.loading', render: render };
}

function rememberedPoint() {
  try {
    return window.localStorage.getItem(LAST_POINT);
  } catch (e) {
    return null;
  }
}

function remember(pointId) {
  try {
    window.localStorage.setItem(LAST_POINT, pointId);
  } catch (e) {
    // not remembered on a locked-down PC: the patron chooses again next time
  }
}
