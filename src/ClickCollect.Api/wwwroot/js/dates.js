// Dates and times are stored in UTC and shown in the branch's time zone (DESIGN.md "Slots").
// Europe/Paris is the network default; pass a branch's own zone when the API gives one.
export const BRANCH_TIME_ZONE = 'Europe/Paris';

const LOCALES = { fr: 'fr-FR', en: 'en-GB' };

function format(value, lang, options, timeZone) {
  const date = value instanceof Date ? value : new Date(value);
  if (isNaN(date.getTime())) return '';
  options.timeZone = timeZone || BRANCH_TIME_ZONE;
  return new Intl.DateTimeFormat(LOCALES[lang] || lang, options).format(date);
}

// "mardi 10 mars 2026"
export function formatDate(value, lang, timeZone) {
  return format(value, lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }, timeZone);
}

// "09:30"
export function formatTime(value, lang, timeZone) {
  return format(value, lang, { hour: '2-digit', minute: '2-digit' }, timeZone);
}

// "mardi 10 mars 2026 à 09:30"
export function formatDateTime(value, lang, timeZone) {
  return format(value, lang,
    { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }, timeZone);
}
