// Step 0: what Signaal is, in a few words, and the language choice.
import { h } from '../dom.js';
import { languages } from '../languages.js';
import { offeredLanguages } from '../config.js';
import { stepHeader, radioGroup, navButtons } from './common.js';

export function languageStep(app) {
  const { t } = app;
  const offered = offeredLanguages(app.config);
  return h(
    'section',
    { class: 'step' },
    stepHeader(app, 'language', 'lang.title'),
    h('p', {}, t('lang.intro')),
    h('p', { class: 'note' }, t('lang.encrypted')),
    radioGroup({
      legend: t('lang.choose'),
      name: 'lang',
      options: languages.filter((l) => offered.includes(l.code)).map((l) => ({ value: l.code, label: h('span', { lang: l.code }, l.name) })),
      selected: t.lang,
      onChange: (code) => app.setLanguage(code, `lang-${code}`),
    }),
    navButtons(app, { onNext: () => app.go('role'), nextLabel: t('lang.start') }),
    h('p', {}, h('button', { type: 'button', class: 'link', onclick: () => app.showHelp() }, t('lang.help_link'))),
  );
}
