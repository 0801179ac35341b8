// The follow-up page's own logic (web/followup/), without a browser: its texts (every
// key it uses, in all ten languages, with the same placeholders, and an honest review
// record), reading a typed receipt, the status lines, the desk keys a reply may be boxed
// under, and what each served message is shown as: built with the real section 7 code
// (web/src/lib/message.js), including a "desk" reply boxed under another key, which must
// never be shown as that desk's, nor its text at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSodium, repoDir, webDir } from './lib/modules.mjs';

const web = (p) => import(join(webDir, p));
const model = await web('followup/model.js');
const message = await web('src/lib/message.js');
const { receiptKeys } = await web('src/lib/receipt.js');
const { encode } = await web('src/lib/base64url.js');
const { languages } = await web('src/languages.js');
const review = await web('tools/i18n-review-state.mjs');
const sodium = await loadSodium();

// ---- texts ----------------------------------------------------------------------------

const pageDir = join(webDir, 'followup');
const i18nDir = join(pageDir, 'i18n');
const sources = readdirSync(pageDir).filter((n) => n.endsWith('.js')).map((n) => readFileSync(join(pageDir, n), 'utf8'));
const literal = new Set(sources.flatMap((s) => [...s.matchAll(/'(followup\.[a-z0-9_.]+)'/g)].map((m) => m[1])));
const mainSource = readFileSync(join(pageDir, 'main.js'), 'utf8');
const errorCodes = [...mainSource.match(/knownErrors = new Set\(\[([^\]]*)\]/)[1].matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
// Keys the page builds from values: statuses, sequence flags, error codes.
const built = [
  ...[...model.deskStatuses, 'pending', 'unknown'].map((s) => `followup.status.${s}`),
  ...['repeat', 'replay'].map((f) => `followup.flag.${f}`),
  ...[...errorCodes, 'expired', 'generic'].map((c) => `followup.error.${c}`),
];
const used = new Set([...literal].filter((k) => !k.endsWith('.')).concat(built));
// Prefixes the page completes at run time ('followup.status.' + …) are not keys themselves.
for (const k of [...used]) if (/\.$/.test(k)) used.delete(k);
const load = (code) => JSON.parse(readFileSync(join(i18nDir, `${code}.json`), 'utf8'));
const texts = (dict) => review.texts(dict);
const en = texts(load('en'));
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('the scan found the page\'s keys', () => {
  assert.ok(literal.size > 40, `only ${literal.size} literal keys found`);
  assert.ok(errorCodes.includes('network') && errorCodes.includes('stale_key'));
});

test('English has every key the page uses, and no key it does not use', () => {
  assert.deepEqual([...used].filter((k) => !(k in en)).sort(), []);
  assert.deepEqual(Object.keys(en).filter((k) => !used.has(k)).sort(), []);
});

test('the phone page\'s texts it borrows exist (quick exit, language, desk and category names)', () => {
  const phone = JSON.parse(readFileSync(join(webDir, 'i18n/en.json'), 'utf8'));
  const borrowed = new Set(sources.flatMap((s) => [...s.matchAll(/'((?:bar)\.[a-z0-9_.]+)'/g)].map((m) => m[1])));
  assert.ok(borrowed.size >= 3);
  for (const key of borrowed) assert.ok(key in phone, key);
});

test('one file per language of the phone page, and no other', () => {
  const files = readdirSync(i18nDir).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).sort();
  assert.deepEqual(files, languages.map((l) => l.code).sort());
});

for (const { code } of languages) {
  test(`${code}: every key, non-empty, the same placeholders as English`, () => {
    const dict = texts(load(code));
    assert.deepEqual([...used].filter((k) => !(k in dict)).sort(), [], `${code} lacks keys`);
    assert.deepEqual(Object.keys(dict).filter((k) => !(k in en)).sort(), [], `${code} has keys English lacks`);
    for (const [key, value] of Object.entries(dict)) {
      assert.equal(typeof value, 'string', `${code} ${key}`);
      assert.ok(value.trim().length > 0, `${code} ${key} is empty`);
      assert.deepEqual(placeholders(value), placeholders(en[key]), `${code} ${key} placeholders`);
    }
  });
}

test('review records: who may review, no unmarked source change, unreviewed keys marked', () => {
  const files = Object.fromEntries(languages.map(({ code }) => [code, load(code)]));
  assert.deepEqual(review.problems(files), []);
  for (const [code, dict] of Object.entries(files)) {
    assert.match(dict[review.reviewKey].who_may_review, /native speaker .* sex worker or peer expert/, code);
    if (review.sourceLanguages.includes(code) || dict[review.reviewKey].last_review) continue;
    // Never reviewed by a native-speaking peer: every key stays on the list.
    assert.deepEqual(Object.keys(dict[review.reviewKey].needs_review).sort(), Object.keys(en).sort(), code);
  }
});

test('the withdrawal confirmation says that desks which read it may keep what they read', () => {
  assert.match(en['followup.confirm_keep'], /already read your report may keep what they read/);
  assert.ok(mainSource.includes("'followup.confirm_keep'"));
});

test('an empty mailbox says the same whatever the reason (never "wrong", "used" or "withdrawn")', () => {
  for (const { code } of languages) assert.ok(texts(load(code))['followup.empty']);
  assert.doesNotMatch(en['followup.empty'], /wrong|withdrawn|used|deleted/i);
});

test('a consent change says plainly what it means, in nl and en, before she confirms (issue 14)', () => {
  const nl = texts(load('nl'));
  assert.equal(en['followup.consent.add_means'].replace('{desk}', 'Police'),
    'Police will be able to read your report. They may contact the organisations that already read it.');
  assert.equal(en['followup.consent.remove_means'].replace('{desk}', 'Care services'),
    'Care services will no longer be able to open your report. What they already read, they may keep.');
  assert.equal(nl['followup.consent.add_means'].replace('{desk}', 'Politie'),
    'Politie kan je melding dan lezen. Ze kunnen contact opnemen met de organisaties die hem al lazen.');
  assert.equal(nl['followup.consent.remove_means'].replace('{desk}', 'Hulpverlening'),
    'Hulpverlening kan je melding dan niet meer openen. Wat ze al lazen, mogen ze houden.');
  for (const key of ['followup.consent.add_means', 'followup.consent.remove_means', 'followup.consent.remove_waiting_means']) {
    assert.ok(mainSource.includes(`'${key}'`), key);
  }
});

test('consent choices: add only desks the category routes to, remove any but the last desk that holds it', () => {
  const cfg = { desks: [{ id: 'care' }, { id: 'municipality' }, { id: 'police' }], routing: { violence: ['police', 'care', 'peers'], health: ['care'] } };
  assert.deepEqual(model.consentChoices(cfg, { category: 'violence', desks: ['care'], pending: [] }), { add: ['police'], remove: [], only: 'care' });
  assert.deepEqual(model.consentChoices(cfg, { category: 'violence', desks: ['care'], pending: ['police'] }), { add: [], remove: ['police'], only: 'care' });
  assert.deepEqual(model.consentChoices(cfg, { category: 'violence', desks: ['care', 'police'] }), { add: [], remove: ['care', 'police'], only: null });
  assert.deepEqual(model.consentChoices(cfg, { category: 'health', desks: ['care'], pending: [] }), { add: [], remove: [], only: 'care' });
  assert.deepEqual(model.consentChoices(cfg, { category: 'unknown', desks: [] }), { add: [], remove: [], only: null });
  assert.deepEqual(model.consentChoices(null, null), { add: [], remove: [], only: null });
});

// ---- receipts --------------------------------------------------------------------------

const vectors = JSON.parse(readFileSync(join(repoDir, 'tests/data/protocol-vectors.json'), 'utf8'));
const hex = (bytes) => Buffer.from(bytes).toString('hex');

test('a typed receipt: every receipt_normalize vector', () => {
  assert.ok(vectors.receipt_normalize.length >= 8);
  for (const v of vectors.receipt_normalize) {
    const bytes = model.readReceipt(v.input);
    if (v.valid) assert.equal(bytes && hex(bytes), v.receipt_hex, JSON.stringify(v.input));
    else assert.equal(bytes, null, JSON.stringify(v.input));
  }
});

test('a typed receipt: lower case with spaces, dashes and tabs; O, I and L; not a receipt', () => {
  const bytes = model.readReceipt('04hm asw9-nf6y\ty093');
  assert.equal(hex(bytes), '0123456789abcdef0123');
  assert.equal(hex(model.readReceipt(' 04HM ASW9 NF6Y Y093 ')), '0123456789abcdef0123');
  assert.equal(hex(model.readReceipt('ll0g-g888-8442-222f')), hex(model.readReceipt('11OG-G888-8442-222F')));
  for (const wrong of ['', 'hello', '04HM-ASW9-NF6Y-Y09', '04HM-ASW9-NF6Y-Y093-0', '04HM-ASW9-NF6Y-Y09U', '04HM_ASW9_NF6Y_Y093', null]) {
    assert.equal(model.readReceipt(wrong), null, JSON.stringify(wrong));
  }
});

// ---- status ------------------------------------------------------------------------------

test('status lines: one per desk in plain words, pending desks after, an unknown status is "no news"', () => {
  const rows = model.statusRows({
    desks: ['care', 'police'], pending: ['municipality'], status: { care: 'acknowledged', police: 'weird' },
  });
  assert.deepEqual(rows, [
    { desk: 'care', key: 'followup.status.acknowledged' },
    { desk: 'police', key: 'followup.status.unknown' },
    { desk: 'municipality', key: 'followup.status.pending' },
  ]);
  assert.equal(en['followup.status.acknowledged'].replace('{desk}', 'Care services'), 'Care services has read your report.');
  for (const s of model.deskStatuses) assert.equal(model.statusKey(s), `followup.status.${s}`);
  assert.deepEqual(model.statusRows(null), []);
});

// ---- desk keys ----------------------------------------------------------------------------

function deskKey() {
  const pair = sodium.crypto_box_keypair();
  const keyId = encode(sodium.crypto_generichash(32, pair.publicKey).subarray(0, 8));
  return { key_id: keyId, public_key: pair.publicKey, secret_key: pair.privateKey, pk64: encode(pair.publicKey) };
}

const care = deskKey();
const careOld = deskKey();
const police = deskKey();
const config = {
  desks: [
    { id: 'care', key_id: care.key_id, public_key: care.pk64, previous_keys: [{ key_id: careOld.key_id, public_key: careOld.pk64 }] },
    { id: 'police', key_id: police.key_id, public_key: police.pk64 },
    { id: 'broken', key_id: 'AAAA', public_key: 'AAAA' },
  ],
  padding_buckets: [1024, 4096],
};

test('desk keys: current and retained keys per key id; a key id two desks claim is nobody\'s', () => {
  const keys = model.deskPublicKeys(config);
  assert.deepEqual(Object.keys(keys).sort(), [care.key_id, careOld.key_id, police.key_id].sort());
  assert.equal(keys[careOld.key_id].desk, 'care');
  assert.deepEqual(keys[police.key_id].public_key, police.public_key);
  const clash = model.deskPublicKeys({ desks: [config.desks[0], { id: 'police', key_id: care.key_id, public_key: care.pk64 }] });
  assert.equal(clash[care.key_id], undefined);
  assert.equal(clash[careOld.key_id].desk, 'care');
  assert.deepEqual(model.deskKeysFor(config, ['care', 'broken', 'gone']), { care: { key_id: care.key_id, public_key: care.pk64 } });
  assert.deepEqual(model.writableDesks(config, { desks: ['care', 'broken', 'police'] }), ['care', 'police']);
});

// ---- messages ------------------------------------------------------------------------------

const receipt = model.readReceipt('04hm asw9 nf6y y093');
const keys = receiptKeys(sodium, receipt);
const reportId = encode(sodium.randombytes_buf(16));
const reporterKeys = { boxPk: keys.box.publicKey, boxSk: keys.box.privateKey, mailboxPk: keys.mailbox.publicKey, deskPublicKeys: model.deskPublicKeys(config) };

function served(body, sender, n, day = '2026-11-29') {
  const recipients = Object.keys(body.envelopes).sort();
  return { id: encode(sodium.randombytes_buf(16)), report_id: reportId, day, sender, recipients, ...body, n };
}
const reply = (desk, key, text, n) => served(
  message.sealDeskReply(sodium, { reportId, desk, deskKey: key, reporterBoxPk: keys.box.publicKey, text, lang: 'nl', n, buckets: config.padding_buckets }),
  `desk:${desk}`, n);
const own = (desks, text, n) => {
  const body = message.sealReporterMessage(sodium, {
    reportId, deskKeys: model.deskKeysFor(config, desks), boxPk: keys.box.publicKey, mailboxSk: keys.mailbox.privateKey, text, lang: 'en', n, buckets: config.padding_buckets,
  });
  delete body.report_id;
  return served(body, 'reporter', n);
};

test('messages: a desk reply, her own, a forged "desk" reply, a damaged one, a repeat and a replay', () => {
  // Someone who can write the database boxes a reply to her under their own key, naming care's key id.
  const forger = deskKey();
  const forged = reply('care', forger, 'Call this number now', 9);
  forged.envelopes.reporter.key_id = care.key_id;
  const damaged = reply('police', police, 'damaged', 1);
  damaged.ciphertext = encode(sodium.randombytes_buf(64));
  const list = [
    reply('care', care, 'We read it. Can we help?', 1),
    own(['care', 'police'], 'Yes, please.', 1),
    reply('care', careOld, 'From our retained key.', 3),
    forged,
    damaged,
    reply('care', care, 'Again number 3', 3),
    reply('care', care, 'Number 2, after 3', 2),
  ];
  const opened = list.map((m) => message.openAsReporter(sodium, m, reporterKeys));
  const items = model.messageItems(list, opened, message.sequenceFlags(opened));
  assert.deepEqual(items.map((i) => i.kind), ['desk', 'own', 'desk', 'unchecked', 'unreadable', 'desk', 'desk']);
  assert.equal(items[0].desk, 'care');
  assert.equal(items[0].text, 'We read it. Can we help?');
  assert.equal(items[0].lang, 'nl');
  assert.deepEqual(items[1].to, ['care', 'police']);
  assert.equal(items[2].text, 'From our retained key.');
  assert.deepEqual(items[3], { kind: 'unchecked', day: '2026-11-29' }, 'a forged reply carries no desk and no text');
  assert.equal(JSON.stringify(items).includes('Call this number'), false);
  assert.deepEqual(items.map((i) => i.flag ?? null), [null, null, null, null, null, 'repeat', 'replay']);
  assert.equal(message.nextN(opened, 'reporter'), 2);
});

test('messages: a reply sent as one desk, served as another, is not shown as either', () => {
  const m = reply('care', care, 'for care', 1);
  m.sender = 'desk:police';
  const opened = [message.openAsReporter(sodium, m, reporterKeys)];
  assert.deepEqual(model.messageItems([m], opened, [null]).map((i) => i.kind), ['unchecked']);
  // And a served message whose opened sender does not match what was served is unreadable.
  assert.deepEqual(model.messageItems([{ sender: 'desk:police', day: 'x' }], [{ status: 'ok', sender: 'desk:care', text: 'x', lang: 'en', n: 1 }], [null]).map((i) => i.kind), ['unreadable']);
});

test('a message at the largest bucket fits; one byte more does not', () => {
  const base = model.messageBytes('', 'en', 1);
  const text = 'a'.repeat(4096 - 1 - base);
  assert.ok(model.messageFits(text, 'en', 1, config.padding_buckets));
  assert.ok(!model.messageFits(`${text}a`, 'en', 1, config.padding_buckets));
  assert.ok(own(['care'], text, 1), 'the real sealing takes the longest text that fits');
  assert.throws(() => own(['care'], `${text}a`, 1), /too_long/);
});

test('wiping the receipt keys zeroes both secret keys', () => {
  const k = receiptKeys(sodium, model.readReceipt('04HM-ASW9-NF6Y-Y093'));
  model.wipeKeys(k);
  assert.ok(k.box.privateKey.every((b) => b === 0));
  assert.ok(k.mailbox.privateKey.every((b) => b === 0));
  model.wipeKeys(null);
});
