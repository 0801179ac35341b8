// Replying to the reporter from an opened signal. The form is there only when the served
// reply keys are the ones she sealed inside the report; when they differ the signal is
// marked plainly and nothing can be sent. A caseworker of several of the report's desks
// chooses which one answers.
import { h } from '../src/dom.js';
import { languages } from '../src/languages.js';
import { namer } from './names.js';

/** onReply({desk, text, lang}) sends; app.opened.reply keeps the draft and says how it went. */
export function replyView(app, { desks, onReply }) {
  const { t } = app;
  const name = namer(app);
  const { check, result } = app.opened;
  const section = (...children) =>
    h('section', { class: 'reply', 'aria-labelledby': 'reply-title' }, h('h3', { id: 'reply-title' }, t('reply.title')), ...children);

  if (check.state === 'differ') return section(h('p', { class: 'warning keys-differ', id: 'reply-keys-differ', role: 'alert' }, t('reply.keys_differ')));
  if (check.state === 'none') return result.ok ? section(h('p', { class: 'hint', id: 'reply-none' }, t('reply.no_mailbox'))) : null;
  if (check.state === 'unknown') return section(h('p', { class: 'note', id: 'reply-unknown' }, t('reply.unknown')));
  if (desks.length === 0) return null;

  const plainLang = typeof result.plain?.lang === 'string' ? result.plain.lang : null;
  const chosenLang = languages.some((l) => l.code === plainLang) ? plainLang : t.lang;
  // The draft outlives a redraw (a new message, a change of language).
  const { reply } = app.opened;
  const draft = (reply.draft ??= { text: '', lang: chosenLang, desk: desks[0] });
  const keep = (field) => (e) => {
    draft[field] = e.currentTarget.value;
  };
  const text = h('textarea', { id: 'reply-text', name: 'reply-text', rows: '5', 'aria-describedby': 'reply-intro reply-message', oninput: keep('text') });
  text.value = draft.text;
  const lang = h('select', { id: 'reply-lang', name: 'reply-lang', onchange: keep('lang') }, languages.map((l) => h('option', { value: l.code, lang: l.code }, l.name)));
  lang.value = draft.lang;
  const desk =
    desks.length > 1
      ? h('select', { id: 'reply-desk', name: 'reply-desk', onchange: keep('desk') }, desks.map((d) => h('option', { value: d }, name.desk(d))))
      : null;
  if (desk) desk.value = desks.includes(draft.desk) ? draft.desk : desks[0];
  const send = h('button', { type: 'submit', class: 'primary', id: 'reply-send', disabled: reply.sending }, t('reply.send'));
  const form = h(
    'form',
    {
      class: 'reply-form', novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        onReply({ desk: desk ? desk.value : desks[0], text: text.value, lang: lang.value });
      },
    },
    desk ? h('div', { class: 'field' }, h('label', { for: 'reply-desk' }, t('reply.as')), desk) : null,
    h('div', { class: 'field' }, h('label', { for: 'reply-text' }, desks.length > 1 ? t('reply.text') : `${t('reply.text')} (${name.desk(desks[0])})`), text),
    h('div', { class: 'field' }, h('label', { for: 'reply-lang' }, t('reply.lang')), lang),
    h('div', { class: 'nav' }, send),
  );
  return section(
    h('p', { class: 'hint', id: 'reply-intro' }, t('reply.intro')),
    form,
    h('p', { id: 'reply-message', role: 'status', class: reply.failed ? 'error' : 'hint', tabindex: '-1' }, reply.message?.() ?? ''),
  );
}
