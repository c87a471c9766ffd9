// The accessibility statement (#19 item 3): "#/accessibilite", linked from the footer of every patron
// and staff page. The contact is each library's own address and phone (GET /api/branches, public).
import './accessibility-strings.js';
import { api } from './api.js';
import { append, clear, el } from './dom.js';
import { displayPhone } from './phone.js';

function section(titleKey, ...children) {
  return el('section', {}, el('h2', { i18n: titleKey }), children);
}

export function accessibilityView() {
  async function render(main) {
    const contacts = el('div', { className: 'a11y-contacts' });
    append(clear(main), [
      el('h1', { i18n: 'a11y.title' }),
      el('p', { className: 'intro', i18n: 'a11y.intro' }),
      section('a11y.status.title', el('p', { i18n: 'a11y.status.text' })),
      section('a11y.results.title', el('p', { i18n: 'a11y.results.text' })),
      // The gaps the self-assessment finds, each with its workaround; none at present (docs/accessibility.md).
      section('a11y.gaps.title', el('p', { i18n: 'a11y.gaps.none' })),
      section('a11y.made.title', el('p', { i18n: 'a11y.made.date' }), el('p', { i18n: 'a11y.made.tech' }), el('p', { i18n: 'a11y.made.tools' })),
      section('a11y.contact.title', el('p', { i18n: 'a11y.contact.text' }), contacts),
      section('a11y.appeal.title', el('p', { i18n: 'a11y.appeal.text' }),
        el('ul', {},
          el('li', {}, el('a', { href: 'https://formulaire.defenseurdesdroits.fr/', i18n: 'a11y.appeal.form' })),
          el('li', {}, el('a', { href: 'https://www.defenseurdesdroits.fr/carte-des-delegues', i18n: 'a11y.appeal.delegate' })),
          el('li', { i18n: 'a11y.appeal.post' }))),
    ]);
    let branches;
    try {
      branches = await api('/api/branches');
    } catch (error) {
      contacts.appendChild(el('p', { i18n: 'a11y.contact.none' }));
      return;
    }
    contacts.appendChild(el('ul', { className: 'branch-contacts' }, branches.map((b) => el('li', {},
      el('strong', {}, b.name), b.address ? [el('br'), b.address] : null,
      b.phone ? [el('br'), el('a', { href: 'tel:' + b.phone.replace(/[^+\d]/g, ''), i18n: 'a11y.contact.phone', args: { phone: displayPhone(b.phone) } })] : null))));
  }
  return { title: 'a11y.title', render: render };
}
