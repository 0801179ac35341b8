// The list of signals, newest first: received day, category, desks and status (and a mark
// for a new message, or for reply keys that were changed). Each row's
// button opens the signal; the list is redrawn whole, and focus stays on the same row.
import { h } from '../src/dom.js';
import { formatDay, listNames } from '../src/format.js';
import { namer } from './names.js';

export function listView(app, { onOpen }) {
  const { t } = app;
  const name = namer(app);
  const entries = app.inbox.sorted();
  if (entries.length === 0) {
    return h('p', { class: 'hint', id: 'inbox-empty' }, t(app.loaded ? 'inbox.empty' : 'inbox.loading'));
  }
  const mine = new Set(app.session.desks);
  const rows = entries.map((entry) => {
    const v = entry.view;
    const day = v ? formatDay(v.received_day, t.lang) : '…';
    const category = v ? name.category(v.category) : '…';
    const desks = v ? listNames((v.desks ?? []).map(name.desk), t) || t('inbox.count_only') : '';
    const status = v
      ? Object.entries(v.status ?? {})
          .filter(([d]) => mine.has(d))
          .map(([d, s]) => `${name.desk(d)}: ${name.status(s)}`)
          .join('; ')
      : entry.error
        ? t('inbox.unreadable')
        : '';
    const marks = [
      entry.newMessage ? h('span', { class: 'mark' }, t('inbox.new_message')) : null,
      entry.keysDiffer ? h('span', { class: 'mark mark-warning' }, t('inbox.keys_differ')) : null,
      v?.pending?.length ? h('span', { class: 'mark', 'data-pending': v.pending.join(',') }, t('inbox.pending', { desks: listNames(v.pending.map(name.desk), t) })) : null,
    ].filter(Boolean);
    return h(
      'tr',
      {
        'data-id': entry.id,
        'data-new-message': entry.newMessage ? 'true' : null,
        'aria-current': app.selected === entry.id ? 'true' : null,
        class: entry.newMessage || (v?.status && Object.values(v.status).includes('new')) ? 'unread' : null,
      },
      h('td', {}, day),
      h('td', {}, category),
      h('td', {}, desks),
      h(
        'td',
        { class: 'status-cell' },
        status,
        marks.map((m) => [' ', m]),
      ),
      h(
        'td',
        {},
        h(
          'button',
          { type: 'button', class: 'open-report', 'data-id': entry.id, disabled: !v, onclick: () => onOpen(entry.id) },
          t('inbox.open'),
          // The visible word first, so speech input ("click Open") finds the button.
          h('span', { class: 'visually-hidden' }, ` ${day}, ${category}`),
        ),
      ),
    );
  });
  return h(
    'table',
    { class: 'signals' },
    h('caption', { class: 'visually-hidden' }, t('inbox.title')),
    h('thead', {}, h('tr', {}, ['inbox.day', 'inbox.category', 'inbox.desks', 'inbox.status'].map((k) => h('th', { scope: 'col' }, t(k))), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('inbox.open'))))),
    h('tbody', {}, rows),
  );
}
