// Step 6: done. What happens next for each desk that received the report (or that it
// was only counted), her receipt once more when she wants to hear back, and where to
// get help now.
import { h } from '../dom.js';
import { deskById, deskName } from '../config.js';
import { formatDay } from '../format.js';
import { helpList } from './help.js';
import { receiptCard } from './receipt-card.js';

export function doneStep(app) {
  const { t, config, result } = app;
  const next = result.countOnly
    ? [h('p', {}, t('done.count_only'))]
    : [
        h('ul', { class: 'next' },
          result.desks.map((id) => {
            const desk = deskById(config, id);
            const name = desk ? deskName(desk, t) : id;
            const text = t.has(`next.${id}`) ? t(`next.${id}`) : t('next.generic', { desk: name });
            return h('li', {}, h('strong', {}, name), ': ', text);
          }),
        ),
        h('p', {}, t(result.receipt ? 'done.reply_contact' : 'done.no_contact')),
      ];
  const receipt = result.receipt
    ? [
        h('h2', {}, t('done.reply_title')),
        receiptCard(app, result.receipt),
        h('p', { class: 'note warning' }, t('reply.warning')),
        h('p', {}, h('a', { class: 'button-link', href: '/follow-up' }, t('done.follow_up'))),
      ]
    : null;
  return h(
    'section',
    { class: 'step' },
    h('div', { class: 'step-head' }, h('h1', { tabindex: '-1', class: 'step-title' }, t('done.title'))),
    result.receivedDay ? h('p', {}, t('done.received', { day: formatDay(result.receivedDay, t.lang) })) : null,
    receipt,
    h('h2', {}, t('done.next')),
    next,
    h('h2', {}, t('help.now')),
    helpList(app),
    h('p', { class: 'note' }, t('done.close')),
    h('div', { class: 'nav' },
      h('button', { type: 'button', class: 'secondary', onclick: () => app.restart() }, t('done.again'))),
  );
}
