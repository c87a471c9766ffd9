// Every visible string goes through here. French is the default; English is the one other table.
//
// Elements carry their key (data-i18n) and arguments (data-i18n-args, JSON), so switching the
// language re-translates the page in place: no re-render, nothing typed into a form is lost.
// data-i18n-attrs='{"aria-label":"key"}' does the same for attributes.

import { strings } from './strings.js';
import { genreKey } from './names-strings.js';
import { formatDate, formatDateTime, formatDay, formatTime } from './dates.js';

const STORAGE_KEY = 'clickcollect.lang';
export const LANGUAGES = ['fr', 'en'];

let current = stored() || 'fr';
const listeners = [];

function stored() {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.indexOf(value) >= 0 ? value : null;
  } catch (e) {
    return null; // storage disabled (locked-down library PC, private window): French, not remembered
  }
}

export function lang() {
  return current;
}

// A {"time": iso} / {"date": iso} / {"dateTime": iso} argument is formatted in the branch's zone
// (or its "zone"); {"day": "2026-03-17", "style": "weekdayMonth"} is a date without a time;
// {"key": "role.director"} is itself translated; {"cents": 1250} is an amount in euros ("12,50 €");
// {"genre": "Policier"} is a catalogue genre and {"language": "fr"} / {"languages": ["fr", "en"]}
// language codes, named in the page's language ("français", "French").
function formatArg(value) {
  if (typeof value === 'number') return new Intl.NumberFormat(current).format(value);
  if (value && typeof value === 'object') {
    if (value.key) return t(value.key, { fallback: value.fallback });
    if (value.genre) return t(genreKey(value.genre), { fallback: value.genre });
    if (value.language) return languageName(value.language);
    if (Array.isArray(value.languages)) return value.languages.map(languageName).join(', ');
    if (value.time) return formatTime(value.time, current, value.zone);
    if (value.date) return formatDate(value.date, current, value.zone);
    if (value.dateTime) return formatDateTime(value.dateTime, current, value.zone);
    if (value.day) return formatDay(value.day, current, value.style);
    if (typeof value.cents === 'number') {
      return new Intl.NumberFormat(current === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(value.cents / 100);
    }
  }
  return value == null ? '' : String(value);
}

// "fr" → "français" (French pages) or "French" (English pages); an unknown code stays as it is.
export function languageName(code) {
  try {
    const name = new Intl.DisplayNames([current === 'fr' ? 'fr-FR' : 'en-GB'], { type: 'language', fallback: 'code' }).of(code);
    return name || code;
  } catch (e) {
    return code; // not a well-formed language code
  }
}

// The entry for key in the current language, then French; "fallback" (e.g. the server's own French
// message) when neither table has it. Plural entries are objects chosen by args.n; with
// "ordinal: true" they are chosen as ordinals ("1re", "2e"; "1st", "2nd", "3rd").
export function t(key, args) {
  args = args || {};
  let entry = strings[current][key];
  if (entry === undefined) entry = strings.fr[key];
  if (entry === undefined) return args.fallback !== undefined ? args.fallback : key;
  if (typeof entry === 'object') {
    const n = args.n || 0;
    const rules = new Intl.PluralRules(current, entry.ordinal ? { type: 'ordinal' } : undefined);
    entry = (n === 0 && entry.zero) || entry[rules.select(n)] || entry.other;
  }
  return entry.replace(/\{(\w+)\}/g, (whole, name) => (name in args ? formatArg(args[name]) : whole));
}

// Marks el as showing key (with args) and fills it in.
export function bind(el, key, args) {
  el.setAttribute('data-i18n', key);
  if (args) el.setAttribute('data-i18n-args', JSON.stringify(args));
  else el.removeAttribute('data-i18n-args');
  el.textContent = t(key, args);
  return el;
}

export function translate(root) {
  const scope = root || document;
  const texts = scope.querySelectorAll('[data-i18n]');
  for (let i = 0; i < texts.length; i++) {
    const el = texts[i];
    const args = el.getAttribute('data-i18n-args');
    el.textContent = t(el.getAttribute('data-i18n'), args ? JSON.parse(args) : undefined);
  }
  const withAttrs = scope.querySelectorAll('[data-i18n-attrs]');
  for (let i = 0; i < withAttrs.length; i++) {
    const map = JSON.parse(withAttrs[i].getAttribute('data-i18n-attrs'));
    Object.keys(map).forEach((attr) => withAttrs[i].setAttribute(attr, t(map[attr])));
  }
}

export function setLang(value) {
  if (LANGUAGES.indexOf(value) < 0) return;
  current = value;
  try {
    window.localStorage.setItem(STORAGE_KEY, value);
  } catch (e) {
    // not remembered; the switch still applies to this page
  }
  apply();
  listeners.forEach((listener) => listener(value));
}

export function onLangChange(listener) {
  listeners.push(listener);
}

// Puts the page in the current language: <html lang>, every bound string, the title.
export function apply() {
  document.documentElement.lang = current;
  translate(document);
}
