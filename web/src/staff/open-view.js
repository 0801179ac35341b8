// The first screen: choose the staff key file; a locked one asks for its passphrase.
// The file is read into this tab's memory only; the form is never submitted anywhere.
import { h } from '../dom.js';
import { inspectKeyFile } from './keyfile.js';
import { errorText } from './texts.js';

/** onOpen({text, passphrase}) returns a promise of an error code or null. */
export function openView(app, { message = null, onOpen }) {
  const { t } = app;
  let text = null;
  const error = h('p', { id: 'open-error', class: 'error', role: 'alert' });
  const progress = h('p', { class: 'hint', role: 'status' });
  const warning = h('p', { class: 'warning', id: 'unlocked-warning', hidden: true }, t('open.unlocked_warning'));
  const passphrase = h('input', { id: 'passphrase', name: 'passphrase', type: 'password', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'open-error' });
  const phraseRow = h('div', { class: 'field', hidden: true }, h('label', { for: 'passphrase' }, t('open.passphrase')), passphrase);
  const submit = h('button', { type: 'submit', class: 'primary' }, t('open.submit'));
  const showError = (code) => {
    error.textContent = code ? errorText(t, code) : '';
  };

  const file = h('input', {
    id: 'key-file', name: 'key-file', type: 'file', accept: '.json,application/json', 'aria-describedby': 'open-error',
    onchange: async () => {
      showError(null);
      text = null;
      const chosen = file.files?.[0];
      if (!chosen) return;
      text = await chosen.text();
      const seen = inspectKeyFile(text);
      phraseRow.hidden = !(seen.ok && seen.locked);
      warning.hidden = !(seen.ok && !seen.locked);
      if (!seen.ok) showError(seen.code);
      else if (seen.kind !== 'staff') showError('not_a_staff_key');
      else if (seen.locked) passphrase.focus();
    },
  });

  const form = h(
    'form',
    {
      class: 'open', novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        if (text === null) {
          showError(null);
          error.textContent = t('open.choose_file');
          file.focus();
          return;
        }
        submit.disabled = true;
        showError(null);
        const code = await onOpen({ text, passphrase: phraseRow.hidden ? undefined : passphrase.value, progress: (key) => (progress.textContent = t(key)) });
        submit.disabled = false;
        progress.textContent = '';
        if (code) {
          showError(code);
          (phraseRow.hidden ? file : passphrase).focus();
        }
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'key-file' }, t('open.file')), file),
    warning,
    phraseRow,
    error,
    progress,
    h('div', { class: 'nav' }, submit),
  );
  passphrase.addEventListener('input', () => showError(null));

  return h(
    'section',
    { class: 'open-screen', 'aria-labelledby': 'open-title' },
    h('h1', { id: 'open-title', tabindex: '-1' }, t('open.title')),
    message ? h('p', { class: 'note', role: 'status' }, t(message)) : null,
    h('p', {}, t('open.intro')),
    form,
  );
}
