// What the patron pages and the staff pages share: the language switch, hash routing
// ("#/catalogue?q=zola"), the current link in the navigation, the window title and focus.
import { apply, lang, onLangChange, setLang, t } from './i18n.js';

export function setUpLanguageSwitch() {
  const buttons = document.querySelectorAll('[data-lang]');
  const refresh = () => {
    for (let i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute('aria-pressed', String(buttons[i].getAttribute('data-lang') === lang()));
    }
  };
  for (let i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener('click', () => setLang(buttons[i].getAttribute('data-lang')));
  }
  onLangChange(refresh);
  apply();
  refresh();
}

// "#/catalogue?q=zola&page=2" → { name: 'catalogue', params }. Other hashes (the skip link's
// "#main") are not routes: the browser handles them.
export function parseHash(hash) {
  const match = /^#\/([\w-]*)(?:\?(.*))?$/.exec(hash || '');
  return match ? { name: match[1], params: new URLSearchParams(match[2] || '') } : null;
}

// views: { name: { title: 'i18n.key', render(main, params), update?(params) } }.
// A view with update() stays on screen when only its parameters change (a new search, a page).
export function startRouter(main, views, defaultView) {
  let currentName = null;
  let currentTitle = null;

  const setTitle = () => {
    document.title = t(currentTitle) + ' — ' + t('app.name');
  };
  onLangChange(setTitle);

  // first: the page just loaded; byHash: the address changed (a non-route hash is the browser's).
  const show = (first, byHash) => {
    const route = parseHash(window.location.hash);
    if (!route && byHash) return;
    const name = route && views[route.name] ? route.name : defaultView;
    const params = route ? route.params : new URLSearchParams();
    const view = views[name];
    markCurrent(name);
    currentTitle = view.title;
    setTitle();
    if (name === currentName && view.update) {
      view.update(params);
      return;
    }
    currentName = name;
    view.render(main, params);
    if (!first) focusHeading(main);
  };

  window.addEventListener('hashchange', () => show(false, true));
  show(true);

  return {
    // Goes to hash; shows it again when it is already the current one (e.g. after signing in).
    go(hash) {
      if (window.location.hash === hash) {
        currentName = null;
        show(false);
      } else {
        window.location.hash = hash;
      }
    },
    // Draws the current view again (the signed-in state changed).
    refresh() {
      currentName = null;
      show(false);
    },
  };
}

function markCurrent(name) {
  const links = document.querySelectorAll('[data-route]');
  for (let i = 0; i < links.length; i++) {
    if (links[i].getAttribute('data-route') === name) links[i].setAttribute('aria-current', 'page');
    else links[i].removeAttribute('aria-current');
  }
}

// After a navigation, screen-reader and keyboard users start at the new view's heading.
function focusHeading(main) {
  const heading = main.querySelector('h1');
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  heading.focus();
}
