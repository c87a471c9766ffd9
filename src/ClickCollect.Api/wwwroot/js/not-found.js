// The page shown for an address that leads nowhere (served with status 404 by NotFoundPage.cs):
// only the language switch, so it reads in French or English like every other page.
import { onLangChange, t } from './i18n.js';
import { setUpLanguageSwitch } from './shell.js';
import './names-strings.js';

const hint = document.querySelector('[data-i18n-hide]');
const title = () => {
  document.title = t('notFound.title') + ' — ' + t('app.name');
  if (hint) hint.hidden = document.documentElement.lang === hint.getAttribute('data-i18n-hide');
};
onLangChange(title);
setUpLanguageSwitch();
title();
