// The banner on the patron pages while a lockdown is in force (issue 5), from the anonymous
//   GET /api/lockdowns/current → [{ networkWide, branchNames, startsOn, endsOn, suspendFines, suspendReminders,
//                                   dueDatesShifted, pickupDeadlinesExtended, slotCapacityCap }]
// Nothing is shown when there is none, or when the server cannot say.
import { api } from './api.js';
import { append, clear, el } from './dom.js';

export async function showLockdownBanner(banner) {
  let lockdowns;
  try {
    lockdowns = await api('/api/lockdowns/current');
  } catch (error) {
    lockdowns = [];
  }
  if (!Array.isArray(lockdowns) || lockdowns.length === 0) {
    banner.hidden = true;
    return;
  }
  const wrap = el('div', { className: 'wrap' });
  lockdowns.forEach((l) => {
    const lines = [
      el('strong', { i18n: 'lockdown.banner.title' }), ' ',
      el('span', l.endsOn
        ? { i18n: 'lockdown.banner.period', args: { start: { date: l.startsOn }, end: { date: l.endsOn } } }
        : { i18n: 'lockdown.banner.since', args: { start: { date: l.startsOn } } }),
    ];
    if (!l.networkWide) lines.push(' ', el('span', { i18n: 'lockdown.banner.branches', args: { names: l.branchNames.join(', ') } }));
    const effects = [];
    if (l.suspendFines) effects.push(['lockdown.banner.fines']);
    if (l.suspendReminders) effects.push(['lockdown.banner.reminders']);
    if (l.dueDatesShifted) effects.push(['lockdown.banner.dueDates']);
    if (l.pickupDeadlinesExtended) effects.push(['lockdown.banner.pickup']);
    if (l.slotCapacityCap !== null && l.slotCapacityCap !== undefined) effects.push(['lockdown.banner.cap', { n: l.slotCapacityCap }]);
    append(wrap, [el('p', {}, lines), effects.length ? el('ul', {}, effects.map((e) => el('li', { i18n: e[0], args: e[1] }))) : null]);
  });
  clear(banner).appendChild(wrap);
  banner.hidden = false;
}
