// The surprise-selection request form, shared by the patron pages and the staff phone desk.
//   GET /api/pickup-points, GET /api/catalogue/genres  → the choices
//   POST /api/selection-requests { pickupPointId, count, audience?, formats, languages, genres, likedAuthors,
//        likedTitles, avoid, notes, useHistory, repeatEveryWeeks?, repeatTimes?, patronCardNumber? } → 201
import './selection-strings.js';
import { api, problemMessage } from './api.js';
import { append, clear, el, field } from './dom.js';
import { clearFieldErrors, showFieldErrors } from './field-errors.js';
import { bind } from './i18n.js';

const AUDIENCES = ['adult', 'youth', 'children'];
const FORMATS = ['book', 'largePrint', 'comics', 'audiobook', 'dvd', 'cd'];
const LANGUAGES = [['fr', 'Français'], ['en', 'English'], ['es', 'Español'], ['de', 'Deutsch'], ['it', 'Italiano']];
const GENRE_CHOICES = 24; // the most used genres of the catalogue, as boxes to tick

// "polar, Fred Vargas ; roman" → ["polar", "Fred Vargas", "roman"]
export function listOf(text) {
  return (text || '').split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);
}

function checkboxes(name, legendKey, options) {
  return el('fieldset', { className: 'choices' }, el('legend', { i18n: legendKey }),
    options.map((o, i) => {
      const id = 'sel-' + name + '-' + i;
      return el('label', { className: 'choice', for: id },
        el('input', { type: 'checkbox', id: id, name: name, value: o.value, checked: !!o.checked }), ' ',
        o.key ? el('span', { i18n: o.key, args: o.args }) : el('span', { lang: o.lang || null }, o.text));
    }));
}

function checked(form, name) {
  return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'), (input) => input.value);
}

// spec: { staff: bool, cardNumber?: string, sent(answer, body) }
export function selectionForm(spec) {
  const inputs = {
    card: spec.staff ? el('input', { type: 'text', name: 'patronCardNumber', required: true, autocomplete: 'off', value: spec.cardNumber || '' }) : null,
    pickup: el('select', { name: 'pickupPointId', required: true }),
    count: el('input', { type: 'number', name: 'count', min: '1', max: '10', value: '5', required: true }),
    audience: el('select', { name: 'audience' }, el('option', { value: '', i18n: 'sel.form.anyAudience' }),
      AUDIENCES.map((a) => el('option', { value: a, i18n: 'audience.' + a }))),
    moreGenres: el('input', { type: 'text', name: 'moreGenres', autocomplete: 'off' }),
    likedAuthors: el('input', { type: 'text', name: 'likedAuthors', autocomplete: 'off' }),
    likedTitles: el('input', { type: 'text', name: 'likedTitles', autocomplete: 'off' }),
    avoid: el('input', { type: 'text', name: 'avoid', autocomplete: 'off' }),
    notes: el('textarea', { name: 'notes', rows: '3', maxlength: '2000' }),
    useHistory: el('input', { type: 'checkbox', name: 'useHistory', id: 'sel-use-history' }),
    repeat: el('input', { type: 'checkbox', name: 'repeat', id: 'sel-repeat' }),
    every: el('input', { type: 'number', name: 'repeatEveryWeeks', min: '1', max: '12', value: '4' }),
    times: el('input', { type: 'number', name: 'repeatTimes', min: '2', max: '12', value: '3' }),
  };
  const genres = el('div', { className: 'genre-choices' });
  const repeatDetails = el('div', { className: 'repeat-details', hidden: true },
    field('sel-every', 'sel.form.repeatEvery', inputs.every), field('sel-times', 'sel.form.repeatTimes', inputs.times));
  inputs.repeat.addEventListener('change', () => { repeatDetails.hidden = !inputs.repeat.checked; });
  const error = el('div', { className: 'form-error', 'aria-live': 'assertive' });
  const button = el('button', { type: 'submit', className: 'primary', i18n: 'sel.form.submit' });

  const form = el('form', { className: 'selection-form', onSubmit: submit },
    inputs.card ? field('sel-card', 'sel.form.card', inputs.card) : null,
    el('div', { className: 'filters' },
      field('sel-pickup', 'sel.form.pickupPoint', inputs.pickup),
      field('sel-count', 'sel.form.count', inputs.count),
      field('sel-audience', 'sel.form.audience', inputs.audience)),
    checkboxes('formats', 'sel.form.formats', FORMATS.map((f) => ({ value: f, key: 'format.' + f, checked: f === 'book' }))),
    checkboxes('languages', 'sel.form.languages', LANGUAGES.map((l) => ({ value: l[0], text: l[1], lang: l[0], checked: l[0] === 'fr' }))),
    genres,
    field('sel-more-genres', 'sel.form.moreGenres', inputs.moreGenres, 'sel.form.listHint'),
    field('sel-liked-authors', 'sel.form.likedAuthors', inputs.likedAuthors, 'sel.form.listHint'),
    field('sel-liked-titles', 'sel.form.likedTitles', inputs.likedTitles, 'sel.form.listHint'),
    field('sel-avoid', 'sel.form.avoid', inputs.avoid, 'sel.form.avoidHint'),
    field('sel-notes', 'sel.form.notes', inputs.notes),
    el('div', { className: 'field check' }, inputs.useHistory, ' ',
      el('label', { for: 'sel-use-history', className: 'inline', i18n: 'sel.form.useHistory' }),
      el('p', { className: 'hint', i18n: 'sel.form.useHistoryHint' })),
    el('div', { className: 'field check' }, inputs.repeat, ' ', el('label', { for: 'sel-repeat', className: 'inline', i18n: 'sel.form.repeat' })),
    repeatDetails,
    error,
    button);

  api('/api/pickup-points').then((points) => {
    (Array.isArray(points) ? points : []).forEach((p) => inputs.pickup.appendChild(el('option', { value: String(p.id) }, p.name)));
  }, () => {});
  api('/api/catalogue/genres').then((list) => {
    const names = (Array.isArray(list) ? list : []).slice(0, GENRE_CHOICES).map((g) => g.genre)
      .sort((a, b) => a.localeCompare(b, 'fr'));
    genres.appendChild(checkboxes('genres', 'sel.form.genres', names.map((g) => ({ value: g, key: 'names.genre', args: { genre: { genre: g } } }))));
  }, () => {});

  async function submit(event) {
    event.preventDefault();
    clear(error);
    error.classList.remove('shown');
    clearFieldErrors(form);
    const body = {
      pickupPointId: parseInt(inputs.pickup.value, 10) || 0,
      count: parseInt(inputs.count.value, 10) || 0,
      audience: inputs.audience.value || null,
      formats: checked(form, 'formats'),
      languages: checked(form, 'languages'),
      genres: checked(form, 'genres').concat(listOf(inputs.moreGenres.value)),
      likedAuthors: listOf(inputs.likedAuthors.value),
      likedTitles: listOf(inputs.likedTitles.value),
      avoid: listOf(inputs.avoid.value),
      notes: inputs.notes.value.trim(),
      useHistory: inputs.useHistory.checked,
    };
    if (inputs.repeat.checked) {
      body.repeatEveryWeeks = parseInt(inputs.every.value, 10) || 0;
      body.repeatTimes = parseInt(inputs.times.value, 10) || 0;
    }
    if (inputs.card) body.patronCardNumber = inputs.card.value.trim();
    button.disabled = true;
    bind(button, 'sel.form.pending');
    try {
      const answer = await api('/api/selection-requests', { method: 'POST', body: body });
      spec.sent(answer, body);
    } catch (failure) {
      append(error, problemMessage(failure));
      error.classList.add('shown');
      const first = showFieldErrors(form, failure.problem, {
        patronCardNumber: inputs.card, pickupPointId: inputs.pickup, count: inputs.count, audience: inputs.audience,
        genres: inputs.moreGenres, likedAuthors: inputs.likedAuthors, likedTitles: inputs.likedTitles, avoid: inputs.avoid,
        notes: inputs.notes, repeatEveryWeeks: inputs.every, repeatTimes: inputs.times,
      });
      if (first) first.focus();
    } finally {
      button.disabled = false;
      bind(button, 'sel.form.submit');
    }
  }

  return form;
}

// The patron pages' view: the form when signed in, an invitation to sign in otherwise, and the
// reader's own requests (GET /api/selection-requests; POST /api/selection-requests/{id}/cancel).
// signedIn(): the patron, or null.
export function selectionRequestView(signedIn) {
  let mine = null;
  let status = null;

  function render(main) {
    clear(main);
    main.appendChild(el('h1', { i18n: 'sel.form.title' }));
    if (!signedIn()) {
      append(main, [el('p', { className: 'intro', i18n: 'sel.form.needSignIn' }),
        el('p', {}, el('a', { href: '#/connexion', i18n: 'sel.form.signIn' }))]);
      return;
    }
    status = el('div', { className: 'notice', role: 'status', hidden: true });
    mine = el('section', { className: 'my-selections', 'aria-labelledby': 'my-selections-title' });
    append(main, [el('p', { className: 'intro', i18n: 'sel.form.intro' }), status,
      selectionForm({
        staff: false,
        sent: (answer) => {
          say('sel.form.sent', { id: answer.id });
          listMine();
        },
      }),
      mine]);
    listMine();
  }

  function say(key, args) {
    bind(status, key, args);
    status.hidden = false;
    if (status.scrollIntoView) status.scrollIntoView();
  }

  async function listMine() {
    let requests;
    try {
      requests = await api('/api/selection-requests');
    } catch (error) {
      return; // the form still works; the list comes back with the next visit
    }
    clear(mine);
    mine.appendChild(el('h2', { id: 'my-selections-title', i18n: 'sel.mine.title' }));
    if (!requests.length) {
      mine.appendChild(el('p', { i18n: 'sel.mine.none' }));
      return;
    }
    mine.appendChild(el('ul', { className: 'mine' }, requests.map((r) => el('li', { 'data-id': String(r.id) },
      el('span', { i18n: 'sel.mine.line', args: { id: String(r.id), n: r.count, pickup: r.pickupPointName } }), ' — ',
      el('strong', { i18n: 'sel.patronStatus.' + r.status }), ' ',
      r.status === 'confirmed' || r.status === 'cancelled' ? null
        : el('button', { type: 'button', className: 'secondary cancel', i18n: 'sel.mine.cancel', onClick: () => cancel(r.id) })))));
  }

  async function cancel(id) {
    try {
      await api('/api/selection-requests/' + id + '/cancel', { method: 'POST' });
      say('sel.mine.cancelled', { id: String(id) });
    } catch (failure) {
      clear(status);
      append(status, problemMessage(failure));
      status.hidden = false;
    }
    listMine();
  }

  return { title: 'sel.form.title', render: render };
}
