// What a hold's state means to a patron, in words (DESIGN.md "Holds"):
//   queued → "En attente (2e dans la file)", toPick → "En préparation", inTransit → "En transit",
//   ready → "Prête — à retirer au plus tard le mardi 17 mars", then collected, expired, cancelled.

export const ACTIVE = ['queued', 'toPick', 'inTransit', 'ready'];

// A copy is set aside for the hold: it can be given a pickup slot.
export const ALLOCATED = ['toPick', 'inTransit', 'ready'];

export function isAllocated(hold) {
  return ALLOCATED.indexOf(hold.status) >= 0;
}

// { i18n, args } for el(): the hold's state in a sentence.
export function holdStatus(hold) {
  if (hold.status === 'queued' && hold.queuePosition) return { i18n: 'hold.status.queuedAt', args: { n: hold.queuePosition } };
  if (hold.status === 'ready' && hold.pickupDeadline) {
    return { i18n: 'hold.status.readyUntil', args: { day: { day: hold.pickupDeadline, style: 'weekdayMonth' } } };
  }
  return { i18n: 'hold.status.' + hold.status, args: { fallback: hold.status } };
}

// Holds that can be booked at pointId now: a copy set aside there, no appointment yet.
export function bookable(holds, pointId) {
  return holds.filter((h) => isAllocated(h) && String(h.pickupPointId) === String(pointId) && !h.appointmentId);
}
