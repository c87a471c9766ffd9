// The patron pages: catalogue, sign-in (card number + PIN), account, surprise selection request.
//   POST /api/patrons/sign-in {cardNumber, pin} sets the page cookie; GET /api/patrons/me; POST /api/sign-out
import { api } from './api.js';
import { catalogueView } from './catalogue.js';
import { append, clear, el } from './dom.js';
import { bind } from './i18n.js';
import { displayPhone } from './phone.js';
import { selectionRequestView } from './selection-form.js';
import { setUpLanguageSwitch, startRouter } from './shell.js';
import { signInForm } from './sign-in.js';

const main = document.getElementById('main');
let patron = null; // GET /api/patrons/me when signed in
let notice = null; // a message for the next view ("you are signed out")
let router = null;

const views = {
  catalogue: catalogueView('#/catalogue'),
  connexion: { title: 'signIn.title', render: renderSignIn },
  compte: { title: 'account.title', render: renderAccount },
  selection: selectionRequestView(() => patron),
};

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

function renderSignIn(target, params, introKey) {
  if (patron) {
    router.go('#/compte');
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
      router.go('#/compte');
    },
  });
  clear(target);
  if (notice) target.appendChild(el('p', { className: 'notice', role: 'status', i18n: notice }));
  notice = null;
  append(target, [
    el('h1', { i18n: 'signIn.title' }),
    el('p', { className: 'intro', i18n: typeof introKey === 'string' ? introKey : 'signIn.intro' }),
    form,
  ]);
}

function renderAccount(target) {
  if (!patron) {
    renderSignIn(target, null, 'account.needSignIn');
    return;
  }
  const rows = [
    ['account.card', patron.cardNumber],
    ['account.name', fullName(patron)],
    ['account.phone', patron.phone ? displayPhone(patron.phone) : null],
    ['account.email', patron.email],
  ];
  const list = el('dl', { className: 'details' });
  rows.forEach((row) => append(list, [
    el('dt', { i18n: row[0] }),
    row[1] ? el('dd', {}, row[1]) : el('dd', { className: 'muted', i18n: 'account.notGiven' }),
  ]));
  append(list, [el('dt', { i18n: 'account.sms' }), el('dd', { i18n: patron.smsConsent ? 'yes' : 'no' })]);
  append(clear(target), [
    el('h1', { i18n: 'account.title' }),
    el('p', { className: 'lead', i18n: 'greeting', args: { name: fullName(patron) } }),
    list,
    el('button', { type: 'button', className: 'secondary', i18n: 'nav.signOut', onClick: signOut }),
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
  notice = 'signOut.done';
  router.go('#/connexion');
}

setUpLanguageSwitch();
document.querySelector('#nav-sign-out button').addEventListener('click', signOut);
loadPatron().then(() => {
  router = startRouter(main, views, 'catalogue');
});
