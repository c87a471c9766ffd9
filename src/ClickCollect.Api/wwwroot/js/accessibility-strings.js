// The accessibility statement (#19 item 3), "Déclaration d'accessibilité" as French law has it
// (article 47 of law 2005-102, RGAA 4.1). The figures come from docs/accessibility.md, the
// self-assessment: AccessibilityDocumentTests checks that both say the same.
import { strings } from './strings.js';

const fr = {
  'a11y.title': 'Déclaration d’accessibilité',
  'a11y.intro': 'Les bibliothèques du réseau s’engagent à rendre leur service de réservation et de retrait (ClickCollect) accessible, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration s’applique aux pages des lecteurs et à l’espace professionnel.',
  'a11y.status.title': 'État de conformité',
  'a11y.status.text': 'ClickCollect est partiellement conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1, en raison des non-conformités énumérées ci-dessous.',
  'a11y.results.title': 'Résultats des tests',
  'a11y.results.text': 'L’auto-évaluation réalisée par l’équipe du logiciel relève 64 critères respectés sur 67 applicables (95 %), 39 critères n’étant pas applicables à ce service.',
  'a11y.gaps.title': 'Contenus non accessibles',
  'a11y.gaps.intro': 'Ces contenus ne sont pas encore accessibles ; voici comment faire en attendant :',
  'a11y.gap.tables': 'Certains tableaux (recherche de lecteurs, SMS, file des sélections, historique des confinements, fiche lecteur, vos prêts en cours) n’ont pas de titre de tableau (critère 5.4). Le titre de la section, juste au-dessus, nomme chaque tableau : atteignez-le par la liste des titres de votre lecteur d’écran.',
  'a11y.gap.errors': 'Dans la plupart des formulaires, un refus n’est pas encore relié au champ concerné (critère 11.10). Le message est lu dès qu’il apparaît, nomme le champ en toutes lettres et s’affiche juste au-dessus du bouton d’envoi.',
  'a11y.gap.spacing': 'L’espacement du texte modifié par l’utilisateur n’a pas encore été vérifié (critère 10.12). Le zoom du navigateur à 200 % et plus fonctionne sans perte de contenu.',
  'a11y.made.title': 'Établissement de cette déclaration',
  'a11y.made.date': 'Cette déclaration a été établie le 7 décembre 2026.',
  'a11y.made.tech': 'Technologies utilisées : HTML, CSS, JavaScript, WAI-ARIA.',
  'a11y.made.tools': 'Tests : axe-core 4.14 (règles WCAG 2.1 A et AA et RGAA 4.1) sur chaque page et chaque état, à 1280 et 390 pixels de large, en français et en anglais, avec Chromium ; parcours au clavier seul ; vérifications à la main de ce que l’outil ne voit pas. Le détail critère par critère se trouve dans le fichier docs/accessibility.md du logiciel.',
  'a11y.contact.title': 'Retour d’information et contact',
  'a11y.contact.text': 'Si vous n’arrivez pas à accéder à un contenu ou à un service, contactez votre bibliothèque : elle vous aidera, réservera pour vous par téléphone ou vous donnera l’information sous une autre forme.',
  'a11y.contact.phone': 'Téléphone : {phone}',
  'a11y.contact.none': 'Les coordonnées des bibliothèques ne peuvent pas être affichées pour le moment ; demandez à l’accueil de votre bibliothèque.',
  'a11y.appeal.title': 'Voies de recours',
  'a11y.appeal.text': 'Si vous avez signalé à la bibliothèque un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à un service et que vous n’avez pas obtenu de réponse satisfaisante, vous pouvez :',
  'a11y.appeal.form': 'écrire un message au Défenseur des droits (formulaire en ligne)',
  'a11y.appeal.delegate': 'contacter le délégué du Défenseur des droits dans votre région',
  'a11y.appeal.post': 'envoyer un courrier (gratuit, sans timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07',
};

const en = {
  'a11y.title': 'Accessibility statement',
  'a11y.intro': 'The libraries of the network undertake to make their reserve-and-collect service (ClickCollect) accessible, as article 47 of French law 2005-102 of 11 February 2005 requires. This statement covers the patron pages and the staff area.',
  'a11y.status.title': 'Compliance status',
  'a11y.status.text': 'ClickCollect is partially compliant with the French accessibility framework (RGAA), version 4.1, because of the non-compliances listed below.',
  'a11y.results.title': 'Test results',
  'a11y.results.text': 'The self-assessment by the software’s team finds 64 of 67 applicable criteria met (95 %); 39 criteria do not apply to this service.',
  'a11y.gaps.title': 'Content that is not accessible',
  'a11y.gaps.intro': 'This content is not accessible yet; here is what to do meanwhile:',
  'a11y.gap.tables': 'Some tables (patron search, text messages, selection queue, lockdown history, patron record, your current loans) have no table caption (criterion 5.4). The section heading just above names each table: reach it through your screen reader’s list of headings.',
  'a11y.gap.errors': 'In most forms a refusal is not yet tied to its field (criterion 11.10). The message is read out as soon as it appears, names the field in words and is shown just above the submit button.',
  'a11y.gap.spacing': 'Text spacing changed by the user has not been checked yet (criterion 10.12). Browser zoom to 200 % and more works without loss of content.',
  'a11y.made.title': 'Preparation of this statement',
  'a11y.made.date': 'This statement was prepared on 7 December 2026.',
  'a11y.made.tech': 'Technologies used: HTML, CSS, JavaScript, WAI-ARIA.',
  'a11y.made.tools': 'Tests: axe-core 4.14 (WCAG 2.1 A and AA and RGAA 4.1 rules) on every page and state, 1280 and 390 pixels wide, in French and English, with Chromium; keyboard-only journeys; manual checks of what the tool cannot see. The criterion-by-criterion detail is in the software’s docs/accessibility.md file.',
  'a11y.contact.title': 'Feedback and contact',
  'a11y.contact.text': 'If you cannot reach some content or a service, contact your library: it will help you, reserve for you by phone or give you the information in another form.',
  'a11y.contact.phone': 'Phone: {phone}',
  'a11y.contact.none': 'The libraries’ details cannot be shown at the moment; ask at your library’s desk.',
  'a11y.appeal.title': 'Remedies',
  'a11y.appeal.text': 'If you told the library about an accessibility defect that keeps you from some content or service and did not get a satisfactory answer, you can:',
  'a11y.appeal.form': 'write to the Défenseur des droits (online form)',
  'a11y.appeal.delegate': 'contact the Défenseur des droits’ delegate in your region',
  'a11y.appeal.post': 'send a letter (free, no stamp needed): Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07',
};

Object.assign(strings.fr, fr);
Object.assign(strings.en, en);
