// The web inbox's own logic (web/desk/), without a browser: its texts (English and Dutch
// have the same keys, and every key the code uses exists), and its signal store: events
// of the inbox and the stream kept per desk by seq, so a resumed stream's repeats are
// dropped; one fetch per report at a time; a report that answers 404 leaves the list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { webDir } from './lib/modules.mjs';

const deskDir = join(webDir, 'desk');
const { createInbox } = await import(join(deskDir, 'inbox.js'));
const { statuses } = await import(join(deskDir, 'names.js'));
const load = (path) => Object.fromEntries(Object.entries(JSON.parse(readFileSync(path, 'utf8'))).filter(([k]) => !k.startsWith('@')));
const en = load(join(deskDir, 'i18n/en.json'));
const nl = load(join(deskDir, 'i18n/nl.json'));
const phoneEn = load(join(webDir, 'i18n/en.json'));

test('English and Dutch have the same keys and placeholders', () => {
  assert.deepEqual(Object.keys(nl).sort(), Object.keys(en).sort());
  const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(en)) assert.deepEqual(placeholders(nl[key]), placeholders(en[key]), key);
});

test('every text key the inbox uses exists', () => {
  const sources = readdirSync(deskDir).filter((n) => n.endsWith('.js')).map((n) => readFileSync(join(deskDir, n), 'utf8'));
  const namespaces = new Set(Object.keys(en).map((k) => k.split('.')[0]));
  const used = new Set();
  for (const source of sources) {
    for (const m of source.matchAll(/'([a-z_]+)\.([a-z0-9_.]+)'/g)) if (namespaces.has(m[1])) used.add(`${m[1]}.${m[2]}`);
  }
  assert.ok(used.size > 40, `found ${used.size} keys`);
  // Keys built from codes: refusals of desk keys, report opening, statuses, key file errors.
  const staff = (name) => readFileSync(join(webDir, 'src/staff', name), 'utf8');
  for (const m of staff('desk-keys.js').match(/with code ([^.]*)\./)[1].matchAll(/'([a-z_]+)'/g)) used.add(`keys.refused.${m[1]}`);
  for (const code of ['count_only', 'no_key', 'cannot_open']) used.add(`report.${code}`);
  for (const s of statuses) used.add(`status.${s}`);
  for (const m of staff('keyfile.js').matchAll(/fail\('([a-z_]+)'\)/g)) used.add(`error.${m[1]}`);
  used.add('error.coordinator');
  const missing = [...used].filter((k) => !(k in en) && !(k in phoneEn));
  assert.deepEqual(missing, []);
});

/** A stand-in for the staff API's two reads the store makes. */
function fakeApi(inboxes, reports) {
  const fetched = [];
  return {
    fetched,
    inbox: async (desk, after) => ({ ok: true, data: { events: (inboxes[desk] ?? []).filter((e) => e.seq > after) } }),
    report: async (id) => {
      fetched.push(id);
      return id in reports ? { ok: true, data: reports[id] } : { ok: false, code: 'not_found', status: 404 };
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('events are kept per desk by seq: repeats after a resume are dropped, each report fetched, 404 leaves', async () => {
  const reports = {
    a: { id: 'a', received_day: '2026-11-27' },
    b: { id: 'b', received_day: '2026-11-29' },
    c: { id: 'c', received_day: '2026-11-28' },
  };
  const api = fakeApi({
    care: [{ seq: 1, desk: 'care', report_id: 'a', kind: 'report' }, { seq: 2, desk: 'care', report_id: 'b', kind: 'report' }],
    police: [{ seq: 1, desk: 'police', report_id: 'b', kind: 'report' }],
  }, reports);
  const news = [];
  const removed = [];
  const inbox = createInbox({ api, desks: ['care', 'police'], onChange: () => {}, onRemove: (id) => removed.push(id), onNew: (desk, id) => news.push(`${desk}:${id}`) });
  assert.deepEqual(await inbox.load(), { ok: true });
  await settle();
  assert.deepEqual(inbox.after(), { care: 2, police: 1 });
  assert.deepEqual(news, [], 'the inbox is not news');
  assert.deepEqual(inbox.sorted().map((e) => e.id), ['b', 'a'], 'newest day first');

  // The stream replays from the seq the tab sends; anything at or below it is dropped.
  inbox.apply({ type: 'event', seq: 2, desk: 'care', report_id: 'b', kind: 'report' }, false);
  inbox.apply({ type: 'event', seq: 3, desk: 'care', report_id: 'c', kind: 'report' }, true);
  inbox.apply({ type: 'event', seq: 3, desk: 'care', report_id: 'c', kind: 'report' }, true);
  inbox.apply({ type: 'event', seq: 7, desk: 'municipality', report_id: 'x', kind: 'report' }, true);
  await settle();
  assert.deepEqual(inbox.after(), { care: 3, police: 1 }, 'a desk not the caseworker\'s is ignored');
  assert.deepEqual(news, ['care:c'], 'one notice for one new report');
  assert.deepEqual(inbox.sorted().map((e) => e.id), ['b', 'c', 'a']);
  assert.deepEqual(api.fetched.filter((id) => id === 'c'), ['c'], 'fetched once');

  // A status event refreshes the report; a withdrawn report answers 404 and leaves.
  reports.a = { ...reports.a, status: { care: 'closed' } };
  inbox.apply({ seq: 4, desk: 'care', report_id: 'a', kind: 'status' }, true);
  await settle();
  assert.deepEqual(inbox.get('a').view.status, { care: 'closed' });
  delete reports.b;
  inbox.apply({ seq: 2, desk: 'police', report_id: 'b', kind: 'withdrawn' }, true);
  await settle();
  assert.deepEqual(removed, ['b']);
  assert.deepEqual(inbox.sorted().map((e) => e.id), ['c', 'a']);
  assert.deepEqual(inbox.after(), { care: 4, police: 2 });
});

test('a malformed event changes nothing', async () => {
  const api = fakeApi({}, {});
  const inbox = createInbox({ api, desks: ['care'], onChange: () => {}, onRemove: () => {}, onNew: () => {} });
  for (const e of [null, {}, { seq: '1', desk: 'care', report_id: 'a' }, { seq: 1.5, desk: 'care', report_id: 'a' }, { seq: 1, desk: 'care', report_id: 5 }]) inbox.apply(e, true);
  await settle();
  assert.deepEqual(inbox.after(), { care: 0 });
  assert.deepEqual(inbox.sorted(), []);
});
