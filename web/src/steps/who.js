// Step 3: who may read it. One tick-box per desk, each with its plain `about` text;
// nothing ticked by default (police never); a desk that cannot receive this kind of
// report is shown but cannot be ticked. Nothing ticked means count only.
import { h } from '../dom.js';
import { deskAbout, deskName } from '../config.js';
import { listNames } from '../format.js';
import { stepHeader, navButtons } from './common.js';

export function whoStep(app) {
  const { t, draft, config } = app;
  const routed = new Set(config.routing?.[draft.category] ?? []);
  // Consent may only name desks this category can reach (a category change drops the rest).
  for (const d of [...draft.consent]) if (!routed.has(d)) draft.consent.delete(d);

  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  function update() {
    const chosen = config.desks.filter((d) => draft.consent.has(d.id));
    summary.textContent = chosen.length
      ? t('who.will_read', { desks: listNames(chosen.map((d) => deskName(d, t)), t) })
      : t('who.count_only');
    summary.classList.toggle('count-only', chosen.length === 0);
  }

  const boxes = config.desks.map((desk) => {
    const id = `desk-${desk.id}`;
    const aboutId = `${id}-about`;
    const allowed = routed.has(desk.id);
    const about = allowed ? deskAbout(desk, t) : t('who.not_for_category');
    return h(
      'div',
      { class: allowed ? 'choice' : 'choice disabled' },
      h('input', {
        type: 'checkbox',
        id,
        name: 'consent',
        value: desk.id,
        checked: draft.consent.has(desk.id),
        disabled: !allowed,
        'aria-describedby': aboutId,
        onchange: (event) => {
          if (event.target.checked) draft.consent.add(desk.id);
          else draft.consent.delete(desk.id);
          update();
        },
      }),
      h('label', { for: id }, h('span', { class: 'choice-name' }, deskName(desk, t)), h('span', { class: 'choice-hint', id: aboutId }, about)),
    );
  });
  update();

  return h(
    'section',
    { class: 'step' },
    stepHeader(app, 'who', 'who.title'),
    h('p', {}, t('who.intro')),
    h('fieldset', { class: 'choices' }, h('legend', {}, t('who.legend')), boxes),
    summary,
    navButtons(app, { back: 'what', onNext: () => app.go('reply') }),
  );
}
