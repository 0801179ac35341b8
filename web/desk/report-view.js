// One signal, opened in this tab: the report's stored fields, its decrypted text and
// fields, its messages and the reply form, and a status control per desk of the
// caseworker that the report has.
import { h } from '../src/dom.js';
import { formatDay, listNames } from '../src/format.js';
import { consentView } from './consent-view.js';
import { messagesView } from './messages-view.js';
import { namer, statuses } from './names.js';
import { replyView } from './reply-view.js';

const textFields = ['when', 'where', 'contact', 'written_at', 'lang'];

export function reportView(app, { onClose, onStatus, onReply, replyDesks, forward }) {
  const { t } = app;
  const name = namer(app);
  const opened = app.opened;
  const v = opened.view;
  const day = formatDay(v.received_day, t.lang);
  const rows = [
    ['report.category', name.category(v.category)],
    ['report.role', name.role(v.role)],
    ['report.desks', listNames((v.desks ?? []).map(name.desk), t)],
    ['report.consent', listNames((v.consent ?? []).map(name.desk), t)],
  ];
  let body;
  if (opened.result.ok) {
    const p = opened.result.plain;
    for (const field of textFields) {
      if (typeof p[field] !== 'string' || p[field] === '') continue;
      const value = field === 'when' ? name.when(p[field]) : field === 'written_at' ? formatDay(p[field], t.lang) : p[field];
      rows.push([`report.${field}`, value]);
    }
    const key = app.deskKeys.find((k) => k.desk === opened.result.desk && k.keyId === v.envelopes?.[opened.result.desk]?.key_id);
    body = [
      h('h3', {}, t('report.text')),
      h('p', { class: 'report-text', id: 'report-text', lang: typeof p.lang === 'string' ? p.lang : null }, typeof p.text === 'string' ? p.text : ''),
      key ? h('p', { class: 'hint', id: 'opened-with' }, t('report.opened_with', { desk: name.desk(key.desk), fingerprint: key.fingerprint })) : null,
    ];
  } else {
    body = h('p', { class: opened.result.code === 'count_only' ? 'note' : 'error' }, t(`report.${opened.result.code}`));
  }

  const mine = app.session.desks.filter((d) => v.status && d in v.status);
  const forms = mine.map((desk) => {
    const id = `status-${desk}`;
    const select = h('select', { id, name: id }, statuses.map((s) => h('option', { value: s }, name.status(s))));
    select.value = v.status[desk];
    return h(
      'form',
      {
        class: 'status-form',
        onsubmit: (e) => {
          e.preventDefault();
          onStatus(desk, select.value, e.currentTarget);
        },
      },
      h('label', { for: id }, t('status.legend', { desk: name.desk(desk) })),
      h('div', { class: 'inline' }, select, h('button', { type: 'submit' }, t('status.save'))),
    );
  });

  return h(
    'article',
    { class: 'report', 'aria-labelledby': 'report-title', 'data-id': v.id },
    h('h2', { id: 'report-title', tabindex: '-1' }, t('report.title', { day })),
    opened.check.state === 'differ' ? h('p', { class: 'warning keys-differ', id: 'keys-differ-mark' }, t('reply.keys_differ_short')) : null,
    h('dl', { class: 'fields' }, rows.map(([k, value]) => [h('dt', {}, t(k)), h('dd', {}, value)])),
    body,
    consentView(app, forward),
    opened.result.ok || (opened.messages ?? []).length ? messagesView(app) : null,
    replyView(app, { desks: replyDesks, onReply }),
    forms,
    h('p', { id: 'status-message', role: 'status', class: 'hint' }, app.statusMessage?.() ?? ''),
    h('div', { class: 'nav' }, h('button', { type: 'button', id: 'report-close', onclick: onClose }, t('report.close'))),
  );
}
