// Pieces every step shares: the heading (focused on each step change), a radio group
// with a real fieldset and legend, the error line and the back/continue buttons.
import { h, uid } from '../dom.js';
import { steps } from '../state.js';

/** The step's counter and heading; main.js moves focus to the heading. */
export function stepHeader(app, step, titleKey) {
  const index = steps.indexOf(step);
  // The language screen and the done screen are not counted as steps.
  const counted = steps.filter((s) => s !== 'language' && s !== 'done');
  const n = counted.indexOf(step) + 1;
  return h(
    'div',
    { class: 'step-head' },
    n > 0 && index >= 0 ? h('p', { class: 'step-count' }, app.t('step.progress', { n, total: counted.length })) : null,
    h('h1', { tabindex: '-1', class: 'step-title' }, app.t(titleKey)),
  );
}

/**
 * A group of radio buttons, each a large tappable row.
 * options: [{value, label, hint?}]
 */
export function radioGroup({ legend, name, options, selected, onChange, errorId, hint }) {
  const hintId = hint ? uid('hint') : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || null;
  return h(
    'fieldset',
    { class: 'choices', 'aria-describedby': describedBy },
    h('legend', {}, legend),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    options.map((o) => {
      const id = `${name}-${o.value}`;
      const hintOptId = o.hint ? `${id}-hint` : null;
      return h(
        'div',
        { class: 'choice' },
        h('input', {
          type: 'radio',
          name,
          id,
          value: o.value,
          checked: selected === o.value,
          'aria-describedby': hintOptId,
          onchange: () => onChange(o.value),
        }),
        h('label', { for: id }, o.label, o.hint ? h('span', { class: 'choice-hint', id: hintOptId }, o.hint) : null),
      );
    }),
  );
}

/** A line for a validation or server error, announced when its text changes. */
export function errorLine() {
  const el = h('p', { class: 'error', id: uid('error'), role: 'alert' });
  el.hidden = true;
  el.show = (text) => {
    el.textContent = text;
    el.hidden = !text;
  };
  return el;
}

export function navButtons(app, { back, nextLabel, onNext }) {
  return h(
    'div',
    { class: 'nav' },
    onNext ? h('button', { type: 'button', class: 'primary', onclick: onNext }, nextLabel ?? app.t('nav.next')) : null,
    back ? h('button', { type: 'button', class: 'secondary', onclick: () => app.go(back) }, app.t('nav.back')) : null,
  );
}
