// What a lockdown does, in sentences, from the counts the server computes before and after a change:
//   POST /api/lockdowns/preview, /api/lockdowns/{id}/preview, /{id}/end/preview, /{id}/cancel/preview → { effects }
//   POST /api/lockdowns, PUT /{id}, POST /{id}/end, /{id}/cancel → { lockdown, effects }
// The preview and the change run the same code on the server: what is shown is what will happen.
import { el } from '../js/dom.js';

// [effects field, i18n key]: one sentence each when the count is not zero, in this order.
const COUNTS = [
  ['loansBroughtForward', 'lockdowns.effect.loansBroughtForward'],
  ['holdsExtended', 'lockdowns.effect.holdsExtended'],
  ['holdsShortened', 'lockdowns.effect.holdsShortened'],
  ['appointmentsAboveCap', 'lockdowns.effect.appointmentsAboveCap'],
  ['overdueLoansRemindersSuspended', 'lockdowns.effect.remindersSuspended'],
  ['patronsWithCredit', 'lockdowns.effect.patronsWithCredit'],
];

// The sentences, as [key, args] pairs (bound by the caller, so they follow the language switch).
export function effectSentences(effects) {
  const sentences = [];
  // Due dates moved: to a known date, or until an open-ended lockdown ends, or some of each.
  const held = effects.loansHeldUntilEnd || 0;
  if (effects.loansShifted > 0 && held === effects.loansShifted) sentences.push(['lockdowns.effect.loansHeld', { n: held }]);
  else if (effects.loansShifted > 0) sentences.push([held > 0 ? 'lockdowns.effect.loansShiftedSomeHeld' : 'lockdowns.effect.loansShifted', { n: effects.loansShifted, held: held }]);
  COUNTS.forEach((c) => {
    if (effects[c[0]] > 0) sentences.push([c[1], { n: effects[c[0]], slots: effects.slotsAboveCap }]);
  });
  if (effects.finesRemovedCents > 0) sentences.push(['lockdowns.effect.finesRemoved', { amount: { cents: effects.finesRemovedCents } }]);
  if (effects.finesAddedCents > 0) sentences.push(['lockdowns.effect.finesAdded', { amount: { cents: effects.finesAddedCents } }]);
  return sentences;
}

// One paragraph: "23 prêts verront leur date de retour décalée, 4 réservations prolongées…", or "nothing to change".
export function effectsParagraph(effects, className) {
  const sentences = effectSentences(effects);
  const paragraph = el('p', { className: className || 'effects-summary' });
  if (sentences.length === 0) {
    paragraph.appendChild(el('span', { i18n: 'lockdowns.effect.none' }));
    return paragraph;
  }
  sentences.forEach((s, i) => {
    if (i > 0) paragraph.appendChild(document.createTextNode(', '));
    paragraph.appendChild(el('span', { i18n: s[0], args: s[1] }));
  });
  paragraph.appendChild(document.createTextNode('.'));
  return paragraph;
}

// What the lockdown itself does, whatever the counts: "Amendes suspendues", "Jauge : 2 personnes par créneau"…
export function policyList(lockdown) {
  const items = [];
  if (lockdown.suspendFines) items.push(['lockdowns.policy.fines']);
  if (lockdown.suspendReminders) items.push(['lockdowns.policy.reminders']);
  if (lockdown.shiftDueDatesDays !== null && lockdown.shiftDueDatesDays !== undefined) {
    items.push(['lockdowns.policy.shift', { n: lockdown.shiftDueDatesDays, spread: lockdown.spreadDueDatesOverDays }]);
  }
  if (lockdown.extendPickupDeadlines) items.push(['lockdowns.policy.pickup']);
  if (lockdown.slotCapacityCap !== null && lockdown.slotCapacityCap !== undefined) {
    items.push(['lockdowns.policy.cap', { n: lockdown.slotCapacityCap }]);
  }
  return el('ul', { className: 'policy-list' }, items.map((i) => el('li', { i18n: i[0], args: i[1] })));
}
