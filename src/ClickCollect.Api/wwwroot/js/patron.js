// The patron pages: catalogue, a title and reserving it, choosing a pickup slot, "Mes réservations",
// surprise selection request, sign-in (card number + PIN), account.
//   POST /api/patrons/sign-in {cardNumber, pin} sets the page cookie; GET /api/patrons/me; POST /api/sign-out
import { accessibilityView } from './accessibility.js';
import { accountView } from './account.js';
import { privacySection } from './account-privacy.js';
import { accountDataView } from './account-data.js';
import { api } from './api.js';
import { calendarView } from './calendar.js';
import { catalogueView } from './catalogue.js';
import { append, clear, el } from './dom.js';
import { bind } from './i18n.js';
import { showLockdownBanner } from './lockdown-banner.js';
import { reservationsView } from './reservations.js';
import { selectionRequestView } from './selection-form.js';
import { parseHash, setUpLanguageSwitch, startRouter } from './shell.js';
import { signInForm } from './sign-in.js';
import { titleView } from './title.js';
import { tieNativeValidation } from './field-errors.js';

const main = document.getElementById('main');
let patron = null; // GET /api/patrons/me when signed in
let notice = null; // a message for the next view: { i18n, args } ("you are signed out", "slot booked")
let router = null;
let lastSearch = '#/catalogue'; // where "back to the results" goes from a title page

// A view for signed-in patrons only: until then it shows the sign-in form, and signing in comes
// back to it.
function signedInOnly(view, introKey) {
  return {
    get title() { return patron ? view.title : 'signIn.title'; },
    render: (target, params, path) => (patron ? view.render(target, params, path) : renderSignIn(target, params, introKey, true)),
  };
}

const views = {
  catalogue: catalogueView('#/catalogue', (id) => '#/titre/' + id),
  titre: titleView({
    patron: () => patron,
    setTitle: (text) => router.setTitle(text),
    backHash: () => lastSearch,
  }),
  creneau: signedInOnly(calendarView({
    booked: (appointment, point) => {
      notice = { i18n: 'slots.booked', args: { at: { dateTime: appointment.slotStart, zone: point.timeZone }, point: point.name } };
      go('#/reservations');
    },
  }), 'slots.needSignIn'),
  reservations: signedInOnly(reservationsView({ takeNotice: takeNotice }), 'reservations.needSignIn'),
  connexion: { title: 'signIn.title', render: renderSignIn },
  compte: signedInOnly(accountView({
    patron: () => patron,
    patronChanged: (changed) => { patron = changed; showSignedIn(); },
    signOut: signOut,
    moreSections: (p) => [privacySection(p, { patronChanged: (changed) => { patron = changed; showSignedIn(); } })],
  }), 'account.needSignIn'),
  selection: selectionRequestView(() => patron),
  accessibilite: accessibilityView(),
  'mes-donnees': signedInOnly(accountDataView(), 'account.needSignIn'),
};

function takeNotice() {
  const taken = notice;
  notice = null;
  return taken;
}

// router.go once the router runs; during the first drawing (a view redirecting) the address itself.
function go(hash) {
  if (router) router.go(hash);
  else window.location.hash = hash;
}

async function loadPatron() {
  try {
    patron = await api('/api/patrons/me');
  } catch (error) {
    patron = null; // 401: not signed in; 403: a staff session, not a patron one
  }
  showSignedIn();
}

function showSignedIn() {
  const greeting = document.getElementById('greeting');
  greeting.hidden = !patron;
  if (patron) bind(greeting, 'greeting', { name: fullName(patron) });
  document.getElementById('nav-sign-in').hidden = !!patron;
  document.getElementById('nav-sign-out').hidden = !patron;
}

function fullName(p) {
  return (p.firstName + ' ' + p.lastName).trim();
}

// #/connexion?retour=#/titre/42 comes back to the title after signing in; a view that needs a
// patron (inPlace) shows this form itself and is drawn again once signed in.
function renderSignIn(target, params, introKey, inPlace) {
  const back = params && params.get('retour');
  const next = back && parseHash(back) ? back : '#/compte';
  if (patron) {
    go(next);
    return;
  }
  const form = signInForm({
    endpoint: '/api/patrons/sign-in',
    secret: 'pin',
    fields: [
      { name: 'cardNumber', id: 'sign-in-card', label: 'signIn.card', hint: 'signIn.cardHint',
        attrs: { type: 'text', autocomplete: 'username', autocapitalize: 'characters', spellcheck: 'false' } },
      { name: 'pin', id: 'sign-in-pin', label: 'signIn.pin',
        attrs: { type: 'password', autocomplete: 'current-password', inputmode: 'numeric' } },
    ],
    signedIn: async () => {
      await loadPatron();
      if (inPlace === true) router.refresh();
      else go(next);
    },
  });
  clear(target);
  const shown = takeNotice();
  if (shown) target.appendChild(el('p', { className: 'notice', role: 'status', i18n: shown.i18n, args: shown.args }));
  append(target, [
    el('h1', { i18n: 'signIn.title' }),
    el('p', { className: 'intro', i18n: typeof introKey === 'string' ? introKey : 'signIn.intro' }),
    form,
  ]);
}

async function signOut() {
  try {
    await api('/api/sign-out', { method: 'POST' });
  } catch (error) {
    // Unreachable server: the page forgets the patron anyway; the cookie expires on its own.
  }
  patron = null;
  showSignedIn();
  notice = { i18n: 'signOut.done' };
  go('#/connexion');
}

// The last search, for the title page's way back (the search lives in the address).
window.addEventListener('hashchange', () => {
  const route = parseHash(window.location.hash);
  if (route && route.name === 'catalogue') lastSearch = window.location.hash;
});

setUpLanguageSwitch();
tieNativeValidation(document); // #19 RGAA 11.10: the browser's own checks said beside their fields
showLockdownBanner(document.getElementById('lockdown-banner'));
document.querySelector('#nav-sign-out button').addEventListener('click', signOut);
loadPatron().then(() => {
  router = startRouter(main, views, 'catalogue');
});
