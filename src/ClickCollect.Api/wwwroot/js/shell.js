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

// "#/catalogue?q=zola&page=2" → { name: 'catalogue', path: [], params }; "#/titre/42" → { name: 'titre',
// path: ['42'], … }. Other hashes (the skip link's "#main") are not routes: the browser handles them.
export function parseHash(hash) {
  const match = /^#\/([\w-]*)((?:\/[^/?]+)*)(?:\?(.*))?$/.exec(hash || '');
  if (!match) return null;
  const path = match[2] ? match[2].slice(1).split('/').map(decodeURIComponent) : [];
  return { name: match[1], path: path, params: new URLSearchParams(match[3] || '') };
}

// views: { name: { title: 'i18n.key', render(main, params, path), update?(params) } }.
// A view with update() stays on screen when only its parameters change (a new search, a page).
// A view that loads before it knows its title may set one later with router.setTitle().
export function startRouter(main, views, defaultView) {
  let currentName = null;
  let currentTitle = null;

  // currentTitle: an i18n key, or { text } for a title that is not translated (a book's).
  const setTitle = () => {
    document.title = (typeof currentTitle === 'string' ? t(currentTitle) : currentTitle.text) + ' — ' + t('app.name');
  };
  onLangChange(setTitle);

  // first: the page just loaded; byHash: the address changed (a non-route hash is the browser's).
  const show = (first, byHash) => {
    const route = parseHash(window.location.hash);
    if (!route && byHash) return;
    const name = route && views[route.name] ? route.name : defaultView;
    const params = route ? route.params : new URLSearchParams();
    const path = route && views[route.name] ? route.path : [];
    const view = views[name];
    markCurrent(name);
    currentTitle = view.title;
    setTitle();
    if (name === currentName && view.update && path.length === 0) {
      view.update(params);
      return;
    }
    currentName = name;
    view.render(main, params, path);
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
    // The window title of a view that learnt it late (a title page: the book's own title).
    setTitle(text) {
      currentTitle = { text: text };
      setTitle();
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
