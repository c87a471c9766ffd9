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

// "2026-03-10": the calendar date of an instant in the zone (slots are grouped by it).
export function localDateKey(value, timeZone) {
  const date = value instanceof Date ? value : new Date(value);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timeZone || BRANCH_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(date);
  const part = (type) => parts.filter((p) => p.type === type)[0].value;
  return part('year') + '-' + part('month') + '-' + part('day');
}

// "2026-03-10" + 1 → "2026-03-11" (calendar arithmetic: no zone, no daylight saving).
export function addDays(key, days) {
  const d = dayToDate(key);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// A date without a time ("2026-03-17", a pickup deadline) is that day everywhere: it is
// formatted at noon UTC in UTC, so no zone can move it to the day before.
function dayToDate(key) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(key || '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], 12)) : new Date(NaN);
}

const DAY_STYLES = {
  long: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }, // "mardi 17 mars 2026"
  weekdayMonth: { weekday: 'long', day: 'numeric', month: 'long' },          // "mardi 17 mars"
  weekday: { weekday: 'short' },                                             // "mar."
  dayMonth: { day: 'numeric', month: 'short' },                              // "17 mars"
};

export function formatDay(key, lang, style) {
  return format(dayToDate(key), lang, Object.assign({}, DAY_STYLES[style] || DAY_STYLES.long), 'UTC');
}

// ISO weekday of a calendar date: 1 (Monday) … 7 (Sunday).
export function isoWeekday(key) {
  return dayToDate(key).getUTCDay() || 7;
}

// The hour (0–23) of an instant in the zone: a slot before noon is a morning one.
export function localHour(value, timeZone) {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timeZone || BRANCH_TIME_ZONE, hour: '2-digit', hourCycle: 'h23' })
    .formatToParts(value instanceof Date ? value : new Date(value));
  return parseInt(parts.filter((p) => p.type === 'hour')[0].value, 10);
}
