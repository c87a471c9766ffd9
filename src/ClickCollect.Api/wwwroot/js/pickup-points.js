// Pickup points (counters and bibliobus stops), loaded once per page:
//   GET /api/pickup-points → [{ id, kind: "counter"|"bibliobusStop", name, branchId, branchName, timeZone }]
import { api } from './api.js';

let loading = null;

export function loadPickupPoints() {
  if (!loading) {
    loading = api('/api/pickup-points').then((points) => (Array.isArray(points) ? points : []), () => {
      loading = null; // a failure is not remembered: the next view asks again
      return [];
    });
  }
  return loading;
}

export function findPoint(points, id) {
  return points.filter((p) => String(p.id) === String(id))[0] || null;
}

// Inside its branch's group a point needs no branch name: "Médiathèque centrale – Adultes" → "Adultes".
export function shortName(point) {
  const prefix = (point.branchName || '') + ' – ';
  return point.branchName && point.name.indexOf(prefix) === 0 ? point.name.slice(prefix.length) : point.name;
}

// [{ branchId, branchName, points: [counters…, stops…] }] in the API's branch order.
export function groupByBranch(points) {
  const groups = [];
  const byBranch = {};
  points.forEach((point) => {
    let group = byBranch[point.branchId];
    if (!group) {
      group = byBranch[point.branchId] = { branchId: point.branchId, branchName: point.branchName || '', points: [] };
      groups.push(group);
    }
    group.points.push(point);
  });
  const rank = (p) => (p.kind === 'counter' ? 0 : 1);
  groups.forEach((g) => g.points.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'fr')));
  groups.sort((a, b) => a.branchName.localeCompare(b.branchName, 'fr'));
  return groups;
}
