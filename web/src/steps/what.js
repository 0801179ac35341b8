// Step 2: what happened: the kind of event, the reporter's own words (with a counter
// against what the largest padding bucket can carry), and a coarse when and where.
import { h, uid } from '../dom.js';
import { categoryName } from '../config.js';
import { textBudget } from '../lib/report.js';
import { whenChoices } from '../state.js';
import { stepHeader, radioGroup, navButtons, errorLine } from './common.js';

const whereMax = 80;

export function whatStep(app) {
  const { t, draft, config } = app;
  const categoryError = errorLine();
  const textError = errorLine();
  const textId = uid('text');
  const textHintId = uid('hint');
  const counterId = uid('counter');
  const whereId = uid('where');
  const whereHintId = uid('hint');

  const counter = h('p', { class: 'counter', id: counterId });
  const textarea = h('textarea', {
    id: textId,
    name: 'text',
    rows: '7',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': `${textHintId} ${counterId} ${textError.id}`,
    oninput: () => {
      draft.text = textarea.value;
      update();
    },
  });
  textarea.value = draft.text;

  const format = (n) => new Intl.NumberFormat(t.lang).format(n);
  function budget() {
    return textBudget(draft, config.padding_buckets?.length ? config.padding_buckets : [65536]);
  }
  function update() {
    const { used, max } = budget();
    counter.textContent = t('what.counter', { used: format(used), max: format(max) });
    const over = used > max;
    counter.classList.toggle('over', over);
    textarea.setAttribute('aria-invalid', over ? 'true' : 'false');
    textError.show(over ? t('what.too_long') : '');
    return !over;
  }
  update();

  const where = h('input', {
    type: 'text',
    id: whereId,
    name: 'where',
    maxlength: String(whereMax),
    autocomplete: 'off',
    'aria-describedby': whereHintId,
    oninput: () => {
      draft.where = where.value.trim();
      update();
    },
  });
  where.value = draft.where;

  return h(
    'section',
    { class: 'step' },
    stepHeader(app, 'what', 'what.title'),
    radioGroup({
      legend: t('what.category'),
      name: 'category',
      options: config.categories.map((c) => ({ value: c.id, label: categoryName(c, t) })),
      selected: draft.category,
      errorId: categoryError.id,
      onChange: (c) => {
        draft.category = c;
        categoryError.show('');
      },
    }),
    categoryError,
    h('div', { class: 'field' },
      h('label', { for: textId }, t('what.text')),
      h('p', { class: 'hint', id: textHintId }, t('what.text_hint')),
      textarea,
      counter,
      textError,
    ),
    radioGroup({
      legend: t('what.when'),
      name: 'when',
      options: [...whenChoices, 'none'].map((w) => ({ value: w, label: t(`when.${w}`) })),
      selected: draft.when ?? 'none',
      onChange: (w) => {
        draft.when = w === 'none' ? null : w;
        update(); // when and where travel in the same plaintext: they change the space left
      },
    }),
    h('div', { class: 'field' },
      h('label', { for: whereId }, t('what.where')),
      h('p', { class: 'hint', id: whereHintId }, t('what.where_hint')),
      where,
    ),
    navButtons(app, {
      back: 'role',
      onNext: () => {
        if (!draft.category) {
          categoryError.show(t('what.category_required'));
          document.getElementById(`category-${config.categories[0].id}`)?.focus();
          return;
        }
        if (!update()) {
          textarea.focus();
          return;
        }
        app.go('who');
      },
    }),
  );
}
