// The accessibility statement (#19 item 3), "Déclaration d'accessibilité" as French law has it
// (article 47 of law 2005-102, RGAA 4.1). The figures come from docs/accessibility.md, the
// self-assessment: AccessibilityDocumentTests checks that both say the same.
import { strings } from './strings.js';

const fr = {
  'a11y.title': 'Déclaration d’accessibilité',
  'a11y.intro': 'Les bibliothèques du réseau s’engagent à rendre leur service de réservation et de retrait (ClickCollect) accessible, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration s’applique aux pages des lecteurs et à l’espace professionnel.',
  'a11y.status.title': 'État de conformité',
  'a11y.status.text': 'ClickCollect est totalement conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1.',
  'a11y.results.title': 'Résultats des tests',
  'a11y.results.text': 'L’auto-évaluation réalisée par l’équipe du logiciel relève 67 critères respectés sur 67 applicables (100 %), 39 critères n’étant pas applicables à ce service.',
  'a11y.gaps.title': 'Contenus non accessibles',
  'a11y.gaps.none': 'Aucun contenu non accessible n’est connu à ce jour. Si vous rencontrez tout de même une difficulté, signalez-la à votre bibliothèque (voir ci-dessous) : elle vous aidera tout de suite, et le défaut sera corrigé.',
  'a11y.made.title': 'Établissement de cette déclaration',
  'a11y.made.date': 'Cette déclaration a été établie le 7 décembre 2026.',
  'a11y.made.tech': 'Technologies utilisées : HTML, CSS, JavaScript, WAI-ARIA.',
  'a11y.made.tools': 'Tests : axe-core 4.14 (règles WCAG 2.1 A et AA et RGAA 4.1) sur chaque page et chaque état, à 1280 et 390 pixels de large, en français et en anglais, avec Chromium ; parcours au clavier seul pour chaque rôle, le focus visible à chaque étape ; refus de formulaire, y compris les contrôles du navigateur, reliés à leur champ et lus à voix haute ; espacement du texte élargi et zoom à 200 % sans texte coupé ni chevauché ; vérifications à la main de ce que l’outil ne voit pas. Le détail critère par critère se trouve dans le fichier docs/accessibility.md du logiciel.',
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
  'a11y.status.text': 'ClickCollect is fully compliant with the French accessibility framework (RGAA), version 4.1.',
  'a11y.results.title': 'Test results',
  'a11y.results.text': 'The self-assessment by the software’s team finds 67 of 67 applicable criteria met (100 %); 39 criteria do not apply to this service.',
  'a11y.gaps.title': 'Content that is not accessible',
  'a11y.gaps.none': 'No content is known to be inaccessible today. If you still meet a difficulty, tell your library (see below): it will help you at once, and the defect will be fixed.',
  'a11y.made.title': 'Preparation of this statement',
  'a11y.made.date': 'This statement was prepared on 7 December 2026.',
  'a11y.made.tech': 'Technologies used: HTML, CSS, JavaScript, WAI-ARIA.',
  'a11y.made.tools': 'Tests: axe-core 4.14 (WCAG 2.1 A and AA and RGAA 4.1 rules) on every page and state, 1280 and 390 pixels wide, in French and English, with Chromium; a keyboard-only journey for each role, the focus visible at every step; form refusals, the browser’s own checks included, tied to their fields and read out; wider text spacing and 200 % zoom without text cut or overlapping; manual checks of what the tool cannot see. The criterion-by-criterion detail is in the software’s docs/accessibility.md file.',
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
