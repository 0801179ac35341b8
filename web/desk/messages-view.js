// A signal's messages, oldest first: who sent each, the day, and the verdict of this tab's
// checks. A message named as the reporter's that her key did not sign is shown as
// rejected, and its text is not shown at all: nothing of it may pass for hers.
import { h } from '../src/dom.js';
import { formatDay } from '../src/format.js';
import { namer } from './names.js';

function senderText(t, name, m) {
  if (m.sender === 'reporter') return t('messages.from_reporter');
  if (m.sender.startsWith('desk:')) return t('messages.from_desk', { desk: name.desk(m.sender.slice(5)) });
  return t('messages.from_unknown');
}

export function messagesView(app) {
  const { t } = app;
  const name = namer(app);
  const messages = app.opened.messages ?? [];
  const items = messages.map((m, i) => {
    const head = `${senderText(t, name, m)} · ${formatDay(m.day, t.lang)}`;
    const readable = m.verdict === 'verified' || m.verdict === 'desk';
    return h(
      'li',
      { class: 'message', 'data-verdict': m.verdict, 'data-sender': m.sender, 'data-id': m.id },
      h('h4', { id: `message-${i}-head`, class: 'message-head' }, head),
      h('p', { class: `verdict verdict-${m.verdict}` }, t(`messages.verdict.${m.verdict}`)),
      m.flag ? h('p', { class: 'warning message-flag', 'data-flag': m.flag }, t(`messages.flag.${m.flag}`, { n: m.n })) : null,
      readable ? h('p', { class: 'message-text', lang: m.lang }, m.text ?? '') : null,
    );
  });
  return h(
    'section',
    { class: 'messages', 'aria-labelledby': 'messages-title' },
    h('h3', { id: 'messages-title' }, t('messages.title')),
    items.length ? h('ol', { class: 'message-list', id: 'message-list' }, items) : h('p', { class: 'hint', id: 'messages-none' }, t('messages.none')),
  );
}
