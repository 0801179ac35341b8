// The web inbox's own logic (web/desk/, web/src/staff/report-messages.js), without a
// browser: its texts (English and Dutch have the same keys, and every key the code uses
// exists); its signal store: events of the inbox and the stream kept per desk by seq, so
// a resumed stream's repeats are dropped; one fetch per report at a time; a report that
// answers 404 leaves the list, a `withdrawn` one at once; a `message` after the first load
// marks its report. And a report's follow-up: the served reply keys against the sealed
// ones, each message's verdict (a reporter message only hers when her sealed mailbox key
// signed it), repeat and replay flags, and a reply the reporter opens as from the desk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSodium, webDir } from './lib/modules.mjs';

const deskDir = join(webDir, 'desk');
const { createInbox } = await import(join(deskDir, 'inbox.js'));
const { statuses } = await import(join(deskDir, 'names.js'));
const followup = await import(join(webDir, 'src/staff/report-messages.js'));
const message = await import(join(webDir, 'src/lib/message.js'));
const { receiptKeys } = await import(join(webDir, 'src/lib/receipt.js'));
const { encode } = await import(join(webDir, 'src/lib/base64url.js'));
const { keyIdBytes } = await import(join(webDir, 'src/staff/fingerprint.js'));
const sodium = await loadSodium();
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
  const shared = ['open-view.js', 'page-shell.js', 'texts.js'].map((n) => join(webDir, 'src/staff', n));
  const sources = [...readdirSync(deskDir).filter((n) => n.endsWith('.js')).map((n) => join(deskDir, n)), ...shared].map((f) => readFileSync(f, 'utf8'));
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
  for (const v of ['verified', 'rejected', 'desk', 'unreadable']) used.add(`messages.verdict.${v}`);
  for (const f of ['repeat', 'replay']) used.add(`messages.flag.${f}`);
  const replyCodes = readFileSync(join(webDir, 'src/staff/report-messages.js'), 'utf8').match(/with code\s*\n?[^.]*?'keys_differ'[^.]*\./)[0];
  for (const m of replyCodes.matchAll(/'([a-z_]+)'/g)) used.add(`reply.error.${m[1]}`);
  for (const code of ['no_mailbox', 'not_found', 'stale_key', 'forbidden', 'network', 'other']) used.add(`reply.error.${code}`);
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

test('withdrawn drops a report at once and says so; a message after the first load marks its report', async () => {
  const reports = { a: { id: 'a', received_day: '2026-11-28', desks: ['care'] }, b: { id: 'b', received_day: '2026-11-29', desks: ['care'] } };
  const api = fakeApi({ care: [
    { seq: 1, desk: 'care', report_id: 'a', kind: 'report' },
    { seq: 2, desk: 'care', report_id: 'a', kind: 'message' },
    { seq: 3, desk: 'care', report_id: 'b', kind: 'report' },
  ] }, reports);
  const removed = [];
  const messages = [];
  const inbox = createInbox({
    api, desks: ['care'], onChange: () => {}, onNew: () => {},
    onRemove: (id, reason) => removed.push(`${id}:${reason}`),
    onMessage: (id, desk, live) => messages.push(`${id}:${desk}:${live}`),
  });
  await inbox.load();
  await settle();
  assert.equal(inbox.get('a').newMessage, false, 'a message in the first load is not news');
  assert.deepEqual(messages, []);

  inbox.apply({ seq: 4, desk: 'care', report_id: 'a', kind: 'message' }, true);
  await settle();
  assert.equal(inbox.get('a').newMessage, true);
  assert.deepEqual(messages, ['a:care:true']);

  // The report still answers (its fetch races the event): it is dropped all the same.
  inbox.apply({ seq: 5, desk: 'care', report_id: 'b', kind: 'withdrawn' }, true);
  assert.equal(inbox.get('b'), undefined, 'dropped without waiting for a fetch');
  await settle();
  assert.deepEqual(removed, ['b:withdrawn']);
  assert.deepEqual(inbox.sorted().map((e) => e.id), ['a']);
  assert.deepEqual(api.fetched.filter((id) => id === 'b'), ['b'], 'not fetched again after the withdrawal');
  // A withdrawal of a report this tab never saw changes nothing but the seq.
  inbox.apply({ seq: 6, desk: 'care', report_id: 'zz', kind: 'withdrawn' }, true);
  assert.deepEqual(removed, ['b:withdrawn']);
  assert.deepEqual(inbox.after(), { care: 6 });
});

test('a desk removed by stepped consent drops the report, which comes back through another desk of the caller', async () => {
  const reports = { a: { id: 'a', received_day: '2026-11-28', desks: ['care', 'police'] } };
  const api = fakeApi({ care: [{ seq: 1, desk: 'care', report_id: 'a', kind: 'report' }], police: [{ seq: 1, desk: 'police', report_id: 'a', kind: 'report' }] }, reports);
  const removed = [];
  const inbox = createInbox({ api, desks: ['care', 'police'], onChange: () => {}, onNew: () => {}, onRemove: (id, r) => removed.push(`${id}:${r}`) });
  await inbox.load();
  await settle();
  reports.a = { ...reports.a, desks: ['care'] };
  inbox.apply({ seq: 2, desk: 'police', report_id: 'a', kind: 'withdrawn' }, true);
  await settle();
  assert.deepEqual(removed, ['a:withdrawn']);
  assert.deepEqual(inbox.get('a').view.desks, ['care'], 'fetched afresh: care still holds it');
});

// ---- a report's follow-up ---------------------------------------------------------------

const buckets = [256, 1024];
const b64 = (bytes) => encode(bytes);

function deskKey(desk) {
  const pair = sodium.crypto_box_keypair();
  return { desk, keyId: encode(keyIdBytes(sodium, pair.publicKey)), publicKey: pair.publicKey, secretKey: pair.privateKey };
}

/** A report with a receipt: its served view and the decrypted plaintext a desk sees. */
function followupReport() {
  const receipt = sodium.randombytes_buf(10);
  const keys = receiptKeys(sodium, receipt);
  const reply = { box_pk: b64(keys.box.publicKey), mailbox_pk: b64(keys.mailbox.publicKey) };
  const view = { id: b64(sodium.randombytes_buf(16)), desks: ['care', 'police'], mailbox: true, reply_box_pk: reply.box_pk, reply_mailbox_pk: reply.mailbox_pk };
  return { keys, view, plain: { v: 1, lang: 'nl', text: 'x', reply } };
}

/** A message as the server serves it (section 7), from a POST body. */
function served(body, { sender, recipients, day = '2026-11-29', id = b64(sodium.randombytes_buf(16)), reportId }) {
  const m = { id, report_id: reportId ?? body.report_id, day, sender, recipients, nonce: body.nonce, ciphertext: body.ciphertext, envelopes: body.envelopes };
  if (body.signature) m.signature = body.signature;
  return m;
}

function fromReporter(r, care, { n, text = `bericht ${n}`, mailboxSk = r.keys.mailbox.privateKey, day } = {}) {
  const body = message.sealReporterMessage(sodium, {
    reportId: r.view.id, deskKeys: { care: { key_id: care.keyId, public_key: b64(care.publicKey) } },
    boxPk: r.keys.box.publicKey, mailboxSk, text, lang: 'nl', n, buckets,
  });
  // The served envelopes are cut to the caller's desks.
  return served({ ...body, envelopes: { care: body.envelopes.care } }, { sender: 'reporter', recipients: ['care', 'reporter'], day });
}

test('reply keys: served ones must equal the ones sealed inside the report', () => {
  const r = followupReport();
  assert.equal(followup.checkReplyKeys(r.view, r.plain).state, 'match');
  assert.ok(followup.checkReplyKeys(r.view, r.plain).sealed.mailboxPk.length === 32);
  const other = b64(sodium.randombytes_buf(32));
  assert.equal(followup.checkReplyKeys({ ...r.view, reply_box_pk: other }, r.plain).state, 'differ', 'box key swapped');
  assert.equal(followup.checkReplyKeys({ ...r.view, reply_mailbox_pk: other }, r.plain).state, 'differ', 'mailbox key swapped');
  assert.equal(followup.checkReplyKeys(r.view, { ...r.plain, reply: undefined }).state, 'differ', 'a mailbox she never sealed');
  const { reply_box_pk: _a, reply_mailbox_pk: _b, ...bare } = r.view;
  assert.equal(followup.checkReplyKeys({ ...bare, mailbox: false }, r.plain).state, 'differ', 'her sealed keys dropped by the server');
  assert.equal(followup.checkReplyKeys({ ...bare, mailbox: false }, { v: 1, text: 'x' }).state, 'none');
  assert.equal(followup.checkReplyKeys(r.view, null).state, 'unknown', 'not opened here: nothing to compare');
  assert.equal(followup.checkReplyKeys(r.view, { ...r.plain, reply: { box_pk: 'AA', mailbox_pk: r.plain.reply.mailbox_pk } }).state, 'differ');
});

test('messages: hers only when her sealed mailbox key signed them; desk replies; flags count trusted ones only', () => {
  const r = followupReport();
  const care = deskKey('care');
  const sealed = followup.checkReplyKeys(r.view, r.plain).sealed;
  const forger = sodium.crypto_sign_keypair();
  const reply = message.sealDeskReply(sodium, {
    reportId: r.view.id, desk: 'care', deskKey: { key_id: care.keyId, public_key: care.publicKey, secret_key: care.secretKey },
    reporterBoxPk: r.keys.box.publicKey, text: 'Wij lazen uw signaal.', lang: 'nl', n: 1, buckets,
  });
  const list = [
    fromReporter(r, care, { n: 1, day: '2026-11-27' }),
    served({ ...reply, envelopes: { care: reply.envelopes.care }, report_id: r.view.id }, { sender: 'desk:care', recipients: ['care', 'reporter'] }),
    fromReporter(r, care, { n: 9, mailboxSk: forger.privateKey, text: 'vals' }), // inserted "from the reporter"
    fromReporter(r, care, { n: 3 }),
    fromReporter(r, care, { n: 3 }), // the same n again
    fromReporter(r, care, { n: 2 }), // lower than one seen
    { ...fromReporter(r, deskKey('care'), { n: 3 }) }, // sealed to a key this tab lacks
  ];
  const opened = followup.openMessages(sodium, list, { deskKeys: [care], sealed });
  assert.deepEqual(opened.map((m) => m.verdict), ['verified', 'desk', 'rejected', 'verified', 'verified', 'verified', 'unreadable']);
  assert.deepEqual(opened.map((m) => m.flag), [null, null, null, null, 'repeat', 'replay', null], 'the forged n=9 makes no later one a replay');
  assert.equal(opened[0].text, 'bericht 1');
  assert.equal(opened[1].text, 'Wij lazen uw signaal.');
  assert.equal(opened[2].text, null, 'a rejected message shows no text');
  assert.equal(opened[0].day, '2026-11-27');
  assert.deepEqual(opened.map((m) => m.id), list.map((m) => m.id), 'the served order');

  // Against the served (swapped) key, or with no sealed keys, nothing is hers.
  assert.deepEqual(followup.openMessages(sodium, list.slice(0, 1), { deskKeys: [care], sealed: { mailboxPk: forger.publicKey } }).map((m) => m.verdict), ['rejected']);
  assert.deepEqual(followup.openMessages(sodium, list.slice(0, 1), { deskKeys: [care], sealed: null }).map((m) => m.verdict), ['rejected']);
  assert.deepEqual(followup.openMessages(sodium, 'nonsense', { deskKeys: [care], sealed }), []);
  assert.deepEqual(followup.openMessages(sodium, [null, { sender: 5 }], { deskKeys: [care], sealed }).map((m) => m.verdict), ['unreadable', 'unreadable']);
});

test('a desk reply: with the current key, numbered after the desk\'s own, opened by the reporter as from the desk', () => {
  const r = followupReport();
  const oldCare = deskKey('care');
  const care = deskKey('care');
  const check = followup.checkReplyKeys(r.view, r.plain);
  const opened = [{ sender: 'desk:care', n: 4 }, { sender: 'reporter', n: 7 }, { sender: 'desk:police', n: 9 }, { sender: 'desk:care', n: null }];
  const args = { view: r.view, check, desk: 'care', currentKeyId: care.keyId, deskKeys: [oldCare, care], opened, text: 'Kunt u iets meer vertellen?', lang: 'nl', buckets };
  const built = followup.buildDeskReply(sodium, args);
  assert.ok(built.ok, built.code);
  assert.equal(built.n, 5);
  assert.deepEqual(Object.keys(built.body.envelopes).sort(), ['care', 'reporter']);
  assert.equal(built.body.envelopes.care.key_id, care.keyId, 'sealed with the current key');
  const m = served(built.body, { sender: 'desk:care', recipients: ['care', 'reporter'], reportId: r.view.id });
  const seen = message.openAsReporter(sodium, m, {
    boxPk: r.keys.box.publicKey, boxSk: r.keys.box.privateKey, mailboxPk: r.keys.mailbox.publicKey,
    deskPublicKeys: { [care.keyId]: { desk: 'care', public_key: care.publicKey } },
  });
  assert.deepEqual(seen, { status: 'ok', sender: 'desk:care', text: args.text, lang: 'nl', n: 5 });

  assert.equal(followup.buildDeskReply(sodium, { ...args, check: followup.checkReplyKeys({ ...r.view, reply_box_pk: b64(sodium.randombytes_buf(32)) }, r.plain) }).code, 'keys_differ');
  assert.equal(followup.buildDeskReply(sodium, { ...args, check: followup.checkReplyKeys(r.view, null) }).code, 'keys_differ');
  assert.equal(followup.buildDeskReply(sodium, { ...args, currentKeyId: 'AAAAAAAAAAA' }).code, 'no_current_key');
  assert.equal(followup.buildDeskReply(sodium, { ...args, text: '  \n' }).code, 'empty');
  assert.equal(followup.buildDeskReply(sodium, { ...args, text: 'x'.repeat(1100) }).code, 'too_long');
  assert.deepEqual(followup.replyDesks(r.view, ['police', 'municipality', 'care']), ['police', 'care']);
});

test('a consent event after the first load refreshes its report and tells the page (stepped consent)', async () => {
  const reports = { a: { id: 'a', received_day: '2026-11-28', desks: ['care'], pending: [] } };
  const api = fakeApi({ care: [{ seq: 1, desk: 'care', report_id: 'a', kind: 'report' }, { seq: 2, desk: 'care', report_id: 'a', kind: 'consent' }] }, reports);
  const consents = [];
  const inbox = createInbox({ api, desks: ['care'], onChange: () => {}, onRemove: () => {}, onNew: () => {}, onConsent: (id, desk) => consents.push(`${id}:${desk}`) });
  await inbox.load();
  await settle();
  assert.deepEqual(consents, [], 'a consent event in the first load is not news');
  reports.a = { ...reports.a, pending: ['police'] };
  inbox.apply({ seq: 3, desk: 'care', report_id: 'a', kind: 'consent' }, true);
  await settle();
  assert.deepEqual(consents, ['a:care']);
  assert.deepEqual(inbox.get('a').view.pending, ['police'], 'the report is fetched again');
});
