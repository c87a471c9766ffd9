// Reading privacy (issue 16): the patron's data on "Mon compte" (consents, export, erasure request)
// and the staff record's export and erasure buttons, added to the shared tables in strings.js.
import { strings } from './strings.js';

const fr = {
  'privacy.title': 'Vos données',
  'privacy.intro': 'La bibliothèque ne garde que ce qui sert : vos prêts rendus sont détachés de votre compte à la fin du 4e mois après leur retour, sauf si vous choisissez de garder votre historique.',
  'privacy.consents': 'Vos choix',
  'privacy.history': 'Garder l’historique de mes lectures (prêts rendus)',
  'privacy.sms': 'Recevoir les avis par SMS',
  'privacy.since': 'Choix enregistré le {at}',
  'privacy.save': 'Enregistrer mes choix',
  'privacy.saved': 'Vos choix sont enregistrés.',
  'privacy.export': 'Ce que la bibliothèque garde de vous',
  'privacy.download': 'Télécharger mes données (JSON)',
  'privacy.show': 'Voir mes données',
  'privacy.erasure': 'Effacer mes données',
  'privacy.erasure.intro': 'Vous pouvez demander l’effacement de vos données : le personnel le confirme. Les chiffres anonymes de la bibliothèque restent.',
  'privacy.erasure.confirm': 'Je demande l’effacement de mon compte et de mes données',
  'privacy.erasure.ask': 'Demander l’effacement',
  'privacy.erasure.requested': 'Demande d’effacement enregistrée le {at}. Le personnel la confirmera.',
  'privacy.erasure.withdraw': 'Retirer ma demande',
  'privacy.erasure.withdrawn': 'Votre demande d’effacement est retirée.',
  'privacy.erasure.blockers': 'Avant l’effacement :',
  'privacy.data.title': 'Mes données',
  'privacy.data.back': 'Retour à mon compte',
  'privacy.data.loans': 'Mes prêts',
  'privacy.data.holds': 'Mes réservations',
  'privacy.data.none': 'Aucun.',
  'privacy.data.tables': 'Tout ce qui vous concerne, table par table',
  'privacy.data.rows': { one: '{name} : {n} ligne', other: '{name} : {n} lignes' },
  'privacy.col.title': 'Titre',
  'privacy.col.authors': 'Auteurs',
  'privacy.col.loanedOn': 'Emprunté le',
  'privacy.col.returnedOn': 'Rendu le',
  'privacy.col.status': 'État',
  'privacy.col.createdAt': 'Réservé le',
  'privacy.notReturned': 'En cours',
  'privacy.staff.title': 'Données personnelles',
  'privacy.staff.export': 'Exporter les données du lecteur (JSON)',
  'privacy.staff.requested': 'Le lecteur a demandé l’effacement de ses données le {at}.',
  'privacy.staff.confirm': 'Je confirme l’effacement définitif de ce lecteur',
  'privacy.staff.erase': 'Effacer les données du lecteur',
  'privacy.staff.erased': 'Les données du lecteur sont effacées ; les chiffres anonymes restent.',
  'privacy.staff.mustConfirm': 'Cochez la confirmation avant d’effacer.',
  'problem.erasure_blocked': 'Effacement impossible pour l’instant',
  'problem.erasure_blocked.detail': '{fallback}',
};

const en = {
  'privacy.title': 'Your data',
  'privacy.intro': 'The library keeps only what it needs: your returned loans are detached from your account at the end of the 4th month after their return, unless you choose to keep your history.',
  'privacy.consents': 'Your choices',
  'privacy.history': 'Keep the history of my reading (returned loans)',
  'privacy.sms': 'Receive notices by SMS',
  'privacy.since': 'Choice recorded on {at}',
  'privacy.save': 'Save my choices',
  'privacy.saved': 'Your choices are saved.',
  'privacy.export': 'What the library keeps about you',
  'privacy.download': 'Download my data (JSON)',
  'privacy.show': 'See my data',
  'privacy.erasure': 'Erase my data',
  'privacy.erasure.intro': 'You can ask for your data to be erased: staff confirm it. The library’s anonymous figures stay.',
  'privacy.erasure.confirm': 'I ask for my account and my data to be erased',
  'privacy.erasure.ask': 'Ask for erasure',
  'privacy.erasure.requested': 'Erasure request recorded on {at}. Staff will confirm it.',
  'privacy.erasure.withdraw': 'Withdraw my request',
  'privacy.erasure.withdrawn': 'Your erasure request is withdrawn.',
  'privacy.erasure.blockers': 'Before the erasure:',
  'privacy.data.title': 'My data',
  'privacy.data.back': 'Back to my account',
  'privacy.data.loans': 'My loans',
  'privacy.data.holds': 'My reservations',
  'privacy.data.none': 'None.',
  'privacy.data.tables': 'Everything about you, table by table',
  'privacy.data.rows': { one: '{name}: {n} row', other: '{name}: {n} rows' },
  'privacy.col.title': 'Title',
  'privacy.col.authors': 'Authors',
  'privacy.col.loanedOn': 'Borrowed on',
  'privacy.col.returnedOn': 'Returned on',
  'privacy.col.status': 'Status',
  'privacy.col.createdAt': 'Reserved on',
  'privacy.notReturned': 'Out',
  'privacy.staff.title': 'Personal data',
  'privacy.staff.export': 'Export the patron’s data (JSON)',
  'privacy.staff.requested': 'The patron asked for their data to be erased on {at}.',
  'privacy.staff.confirm': 'I confirm this patron is erased for good',
  'privacy.staff.erase': 'Erase the patron’s data',
  'privacy.staff.erased': 'The patron’s data is erased; the anonymous figures stay.',
  'privacy.staff.mustConfirm': 'Tick the confirmation before erasing.',
  'problem.erasure_blocked': 'Erasure not possible yet',
  'problem.erasure_blocked.detail': '{fallback}',
};

Object.assign(strings.fr, fr);
Object.assign(strings.en, en);

// Saves a JSON answer as a file (the export), through a temporary link.
export function downloadJson(data, fileName) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
