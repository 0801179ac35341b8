// The receipt code as she must keep it: large, in groups of four, with a copy button.
// Shown before sending (reply step) and once more on the done screen.
import { h, uid } from '../dom.js';

/** Puts text on the clipboard; false when this browser does not allow it here. */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function receiptCard(app, code) {
  const { t } = app;
  const codeId = uid('receipt');
  const status = h('p', { class: 'status', role: 'status' });
  // Shown as K7QM-2XDA-…; a hidden space after each dash makes every group of four its
  // own word, so a screen reader reads it out in groups too.
  const shown = h('p', { class: 'receipt', id: codeId, 'data-code': code },
    code.split('-').map((g, i) => [
      i ? [h('span', { 'aria-hidden': 'true' }, '-'), h('span', { class: 'visually-hidden' }, ' ')] : null,
      h('span', { class: 'receipt-group' }, g),
    ]));
  const copy = h('button', {
    type: 'button',
    class: 'secondary copy',
    'aria-describedby': codeId,
    onclick: async () => {
      const ok = await copyText(code);
      status.textContent = ok ? t('reply.copied') : t('reply.copy_failed');
      if (!ok) getSelection()?.selectAllChildren(shown);
    },
  }, t('reply.copy'));
  return h('div', { class: 'receipt-card' }, shown, copy, status);
}
