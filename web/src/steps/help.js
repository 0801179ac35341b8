// The help page, reachable from every screen without sending anything: the instance's
// help list, a short "your rights" text, and honest words about quick exit and privacy.
import { h } from '../dom.js';
import { helpAbout } from '../config.js';

export const rightsKeys = ['rights.1', 'rights.2', 'rights.3', 'rights.4', 'rights.5', 'rights.6'];

export function helpList(app) {
  const { t, config } = app;
  const entries = Array.isArray(config?.help) ? config.help : [];
  if (!entries.length) return h('p', {}, t('help.none'));
  return h('ul', { class: 'help-list' },
    entries.map((e) => {
      const phone = typeof e.phone === 'string' && e.phone ? e.phone : null;
      const url = typeof e.url === 'string' && /^https?:\/\//.test(e.url) ? e.url : null;
      return h('li', {},
        h('p', { class: 'help-name' }, e.name ?? ''),
        helpAbout(e, t) ? h('p', {}, helpAbout(e, t)) : null,
        phone ? h('p', {}, h('a', { class: 'button-link', href: `tel:${phone.replace(/[^+0-9]/g, '')}` }, `${t('help.phone')}: ${phone}`)) : null,
        url ? h('p', {}, h('a', { class: 'button-link', href: url, rel: 'noreferrer noopener', target: '_blank' }, `${t('help.website')}: ${url.replace(/^https?:\/\//, '').replace(/\/$/, '')}`)) : null,
      );
    }),
  );
}

export function helpView(app) {
  const { t } = app;
  return h(
    'section',
    { class: 'step' },
    h('div', { class: 'step-head' }, h('h1', { tabindex: '-1', class: 'step-title' }, t('help.title'))),
    h('p', { class: 'emergency' }, t('help.emergency')),
    h('h2', {}, t('help.now')),
    helpList(app),
    h('h2', {}, t('help.rights_title')),
    h('ul', { class: 'rights' }, rightsKeys.map((k) => h('li', {}, t(k)))),
    h('h2', {}, t('help.quick_exit_title')),
    h('p', {}, t('help.quick_exit')),
    h('h2', {}, t('help.privacy_title')),
    h('p', {}, t('help.privacy')),
    h('div', { class: 'nav' }, h('button', { type: 'button', class: 'secondary', onclick: () => app.closeHelp() }, t('help.back'))),
  );
}
