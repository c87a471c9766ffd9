// The strings of the counter's day (issue 10 item 5): day shortcuts, the returns desk, "not on the shelf"
// confirmed and undone, the no-show list, and when the list was last printed.
import { strings } from './strings.js';

const fr = {
  'counter.printed': { one: 'Imprimée une fois, le {at}, par {by}. Les lignes ajoutées depuis portent « nouveau ».', other: 'Imprimée {n} fois, la dernière le {at}, par {by}. Les lignes ajoutées depuis portent « nouveau ».' },
  'counter.today': 'Aujourd’hui',
  'counter.tomorrow': 'Demain',
  'counter.returns': 'Retours',
  'counter.returnScan': 'Document rendu (code-barres)',
  'counter.returnHint': 'Le prêt est clos ; si une réservation attend ce titre, l’exemplaire lui est attribué.',
  'counter.returnSubmit': 'Enregistrer le retour',
  'counter.returned': '« {title} » ({barcode}) est rendu.',
  'counter.returnToPick': 'À mettre de côté : réservé par la carte {card} pour {place} (ajouté à la liste à préparer).',
  'counter.returnInTransit': 'À envoyer : réservé par la carte {card} pour {place} (en transit).',
  'counter.returnShelf': 'Personne ne l’attend : à remettre en rayon.',
  'counter.notFoundConfirm': 'Confirmer : « {title} » introuvable',
  'counter.notFoundKeep': 'Annuler',
  'counter.notFoundUndo': 'Annuler le signalement (5 minutes)',
  'counter.notFoundUndone': '« {title} » : signalement annulé, l’exemplaire reste attribué et le lecteur n’est pas prévenu.',
  'counter.noShows': { zero: 'Absents du jour', one: 'Absents du jour : 1 rendez-vous', other: 'Absents du jour : {n} rendez-vous' },
  'counter.noNoShows': 'Aucun absent ce jour-là.',
};

const en = {
  'counter.printed': { one: 'Printed once, on {at}, by {by}. Lines added since are marked “new”.', other: 'Printed {n} times, last on {at}, by {by}. Lines added since are marked “new”.' },
  'counter.today': 'Today',
  'counter.tomorrow': 'Tomorrow',
  'counter.returns': 'Returns',
  'counter.returnScan': 'Returned document (barcode)',
  'counter.returnHint': 'The loan ends; if a hold is waiting for this title, the copy goes to it.',
  'counter.returnSubmit': 'Record the return',
  'counter.returned': '“{title}” ({barcode}) is returned.',
  'counter.returnToPick': 'Put aside: held by card {card} for {place} (added to the pick list).',
  'counter.returnInTransit': 'Send on: held by card {card} for {place} (in transit).',
  'counter.returnShelf': 'Nobody is waiting for it: back on the shelf.',
  'counter.notFoundConfirm': 'Confirm: “{title}” not on the shelf',
  'counter.notFoundKeep': 'Cancel',
  'counter.notFoundUndo': 'Take back the report (5 minutes)',
  'counter.notFoundUndone': '“{title}”: report taken back, the copy stays allocated and the patron is not told.',
  'counter.noShows': { zero: 'Today’s no-shows', one: 'Today’s no-shows: 1 appointment', other: 'Today’s no-shows: {n} appointments' },
  'counter.noNoShows': 'No no-shows that day.',
};

Object.assign(strings.fr, fr);
Object.assign(strings.en, en);
