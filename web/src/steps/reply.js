// Step 4: hearing back. Off by default. When she turns it on, the page makes a receipt
// for this report alone (section 7) and shows it before anything is sent, with a copy
// button and the plain warning that nobody can recover it; she goes on only after she
// says she kept it. A report nobody receives is only counted and can carry no reply
// keys, so then the choice is not offered, and the page says why.
import { h } from '../dom.js';
import { routedDesks } from '../lib/report.js';
import { newReceipt } from '../lib/receipt.js';
import { loadSodium } from '../sodium.js';
import { errorLine, navButtons, stepHeader } from './common.js';
import { receiptCard } from './receipt-card.js';

function forget(draft) {
  draft.reply = null;
  draft.receipt = null;
  draft.receiptKept = false;
}

export function replyStep(app) {
  const { t, draft, config } = app;
  const countOnly = routedDesks(draft.consent, config.routing, draft.category).length === 0;
  const header = stepHeader(app, 'reply', 'reply.title');
  if (countOnly) {
    forget(draft);
    return h('section', { class: 'step' }, header,
      h('p', { class: 'readers count-only' }, t('reply.count_only')),
      navButtons(app, { back: 'who', onNext: () => app.go('review') }));
  }

  const error = errorLine();
  const area = h('div', { class: 'receipt-area', id: 'receipt-area' });
  const hintId = 'hear-back-hint';

  function showReceipt() {
    if (!draft.receipt) {
      area.replaceChildren();
      return;
    }
    area.replaceChildren(
      h('h2', {}, t('reply.code_label')),
      receiptCard(app, draft.receipt),
      h('p', { class: 'note warning' }, t('reply.warning')),
      h('div', { class: 'choice' },
        h('input', {
          type: 'checkbox',
          id: 'receipt-kept',
          checked: draft.receiptKept,
          'aria-describedby': error.id,
          onchange: (event) => {
            draft.receiptKept = event.target.checked;
            if (draft.receiptKept) error.show('');
          },
        }),
        h('label', { for: 'receipt-kept' }, t('reply.kept'))),
      h('p', {}, t('reply.later')),
    );
  }

  const toggle = h('input', {
    type: 'checkbox',
    id: 'hear-back',
    checked: Boolean(draft.receipt),
    'aria-describedby': hintId,
    'aria-controls': 'receipt-area',
    onchange: async (event) => {
      error.show('');
      forget(draft);
      showReceipt();
      if (!event.target.checked) return;
      let sodium;
      try {
        sodium = await loadSodium();
      } catch {
        event.target.checked = false;
        error.show(t('error.network'));
        return;
      }
      // She may have unticked it while libsodium was loading.
      if (!event.target.checked) return;
      const receipt = newReceipt(sodium);
      draft.reply = receipt.reply;
      draft.receipt = receipt.code;
      showReceipt();
    },
  });
  showReceipt();

  return h(
    'section',
    { class: 'step' },
    header,
    h('p', {}, t('reply.intro')),
    h('div', { class: 'choice' }, toggle,
      h('label', { for: 'hear-back' }, h('span', { class: 'choice-name' }, t('reply.choice')), h('span', { class: 'choice-hint', id: hintId }, t('reply.choice_hint')))),
    area,
    error,
    navButtons(app, {
      back: 'who',
      onNext: () => {
        if (draft.receipt && !draft.receiptKept) {
          error.show(t('reply.kept_required'));
          document.getElementById('receipt-kept')?.focus();
          return;
        }
        app.go('review');
      },
    }),
  );
}
