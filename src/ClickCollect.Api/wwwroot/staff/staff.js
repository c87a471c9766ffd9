// The staff pages: sign-in (username + password), home, catalogue search, patron search, surprise selections.
//   POST /api/staff/sign-in {username, password} sets the page cookie; GET /api/staff/me; POST /api/sign-out
// Sections appear here as the features behind them exist.
import { api } from '../js/api.js';
import { catalogueView } from '../js/catalogue.js';
import { append, clear, el } from '../js/dom.js';
import { bind } from '../js/i18n.js';
import { setUpLanguageSwitch, startRouter } from '../js/shell.js';
import { signInForm } from '../js/sign-in.js';
import { counterView } from './counter.js';
import { loadListView } from './loadlist.js';
import { lockdownsView } from './lockdowns.js';
import { patronsView } from './patrons.js';
import { recordView } from './record.js';
import { smsView } from './sms.js';
import { phoneRequestView, queueView } from './selections.js';
import { workbenchView } from './workbench.js';
import { figuresView } from './figures.js';
import { renderHome as roleHome } from './home.js';
import { importsView } from './imports.js';
import { networkView } from './network.js';
import { staffTitleView } from './title.js';
import { ilsView } from './ils.js';
import { erasuresView } from './erasures.js';
import { accessLogView } from './access-log.js';
import { tieNativeValidation } from '../js/field-errors.js';

const main = document.getElementById('main');
let staff = null; // GET /api/staff/me when signed in: { id, username, displayName, role, branchId, active }
let notice = null;
let router = null;

// Every section needs a signed-in staff member; until then each shows the sign-in form. Only a view
// that can update in place gets update(): for the others (the home page) the router draws them again,
// where an update() standing in for them showed a signed-in member the sign-in form (#19, seen by the
// accessibility tour going from /staff/ to #/accueil).
function signedInOnly(view) {
  const wrapped = {
    get title() { return staff ? view.title : 'staff.signIn.title'; },
    render: (target, params, path) => (staff ? view.render(target, params, path || []) : renderSignIn(target)),
  };
  if (view.update) wrapped.update = (params) => (staff ? view.update(params) : renderSignIn(main));
  return wrapped;
}

const views = {
  accueil: signedInOnly({ title: 'staff.home.title', render: renderHome }),
  catalogue: signedInOnly(catalogueView('#/catalogue', (id) => '#/titre/' + id)),
  titre: signedInOnly(staffTitleView(() => staff)),
  lecteurs: signedInOnly(patronsView('#/lecteurs', () => staff)),
  lecteur: signedInOnly(recordView(() => staff)),
  comptoir: signedInOnly(counterView('#/comptoir', () => staff)),
  bibliobus: signedInOnly(loadListView('#/bibliobus')),
  sms: signedInOnly(smsView('#/sms')),
  sigb: signedInOnly(ilsView()),
  confinements: signedInOnly(lockdownsView(() => staff && staff.role === 'director')),
  selections: signedInOnly(queueView('#/selections')),
  selection: signedInOnly(workbenchView(() => staff)),
  'demande-selection': signedInOnly(phoneRequestView()),
  reseau: signedInOnly(networkView(() => staff && staff.role === 'director')),
  chiffres: signedInOnly(figuresView(() => staff && staff.role === 'director')),
  imports: signedInOnly(importsView(() => staff && staff.role === 'director')),
  effacements: signedInOnly(erasuresView(() => staff)),
  'journal-acces': signedInOnly(accessLogView(() => staff && staff.role === 'director')),
};

function roleArg(role) {
  return { key: 'role.' + role, fallback: role };
}

async function loadStaff() {
  try {
    staff = await api('/api/staff/me');
  } catch (error) {
    staff = null; // 401: not signed in; 403: a patron session
  }
  const greeting = document.getElementById('greeting');
  greeting.hidden = !staff;
  if (staff) bind(greeting, 'staff.who', { name: staff.displayName, role: roleArg(staff.role) });
  document.getElementById('staff-nav').hidden = !staff;
  document.querySelectorAll('.director-only').forEach((item) => { item.hidden = !(staff && staff.role === 'director'); });
  // Erasure requests: counter staff and directors handle them (issue 16).
}

function renderSignIn(target) {
  const form = signInForm({
    endpoint: '/api/staff/sign-in',
    secret: 'password',
    fields: [
      { name: 'username', id: 'staff-username', label: 'staff.signIn.username',
        attrs: { type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' } },
      { name: 'password', id: 'staff-password', label: 'staff.signIn.password',
        attrs: { type: 'password', autocomplete: 'current-password' } },
    ],
    signedIn: async () => {
      await loadStaff();
      router.refresh();
    },
  });
  clear(target);
  if (notice) target.appendChild(el('p', { className: 'notice', role: 'status', i18n: notice }));
  notice = null;
  append(target, [el('h1', { i18n: 'staff.signIn.title' }), el('p', { className: 'intro', i18n: 'staff.signIn.intro' }), form]);
}

function renderHome(target) {
  roleHome(target, staff);
}

async function signOut() {
  try {
    await api('/api/sign-out', { method: 'POST' });
  } catch (error) {
    // Unreachable server: the page forgets the session anyway; the cookie expires on its own.
  }
  await loadStaff();
  notice = 'signOut.done';
  router.go('#/accueil');
}

setUpLanguageSwitch();
tieNativeValidation(document); // #19 RGAA 11.10: the browser's own checks said beside their fields
document.getElementById('sign-out').addEventListener('click', signOut);
loadStaff().then(() => {
  router = startRouter(main, views, 'accueil');
});
