// The page's report builder against its own space counter: what the counter counts is
// exactly what is sent (written_at, when, where and reply keys included), so a text at
// the limit is sent and one byte more is stopped before sending; a count-only report
// never carries reply keys; a receipt made for a report gives exactly the reply keys it
// carries; dates and desk lists in each language's own form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadSodium, webDir } from './lib/modules.mjs';

const report = await import(join(webDir, 'src/lib/report.js'));
const receipt = await import(join(webDir, 'src/lib/receipt.js'));
const { encode, decode } = await import(join(webDir, 'src/lib/base64url.js'));
const { formatDay, listNames } = await import(join(webDir, 'src/format.js'));
const sodium = await loadSodium();
const buckets = [1024, 4096, 16384, 65536];

function makeConfig() {
  const desks = ['care', 'police'].map((id) => {
    const pk = sodium.crypto_box_keypair().publicKey;
    return { id, public_key: encode(pk), key_id: encode(sodium.crypto_generichash(32, pk).slice(0, 8)) };
  });
  return { desks, routing: { health: ['care'], threats: ['care', 'police'] }, padding_buckets: buckets };
}
const reply = () => ({ box_pk: encode(sodium.randombytes_buf(32)), mailbox_pk: encode(sodium.randombytes_buf(32)) });

const drafts = {
  bare: { lang: 'en', role: 'sex_worker', category: 'threats', consent: ['care'] },
  full: { lang: 'pt-BR', role: 'peer_expert', category: 'threats', consent: ['care', 'police'], when: 'this_week', where: 'Centrum, bij het station' },
  reply: { lang: 'th', role: 'sex_worker', category: 'threats', consent: ['police'], when: 'today', reply: reply() },
};
// Filler that costs 1, 2, 3 and 4 bytes per character as sent, and 2 for an escaped quote.
const fillers = ['x', 'é', 'ก', '😀', '"'];

for (const [name, base] of Object.entries(drafts)) {
  for (const fill of fillers) {
    test(`${name} draft, filled with ${JSON.stringify(fill)}: used <= max is sent, one byte over is stopped`, () => {
      const config = makeConfig();
      const writtenAt = report.utcDay();
      const { max } = report.textBudget({ ...base, text: '' }, buckets, writtenAt);
      const unit = report.textBudget({ ...base, text: fill }, buckets, writtenAt).used;
      // The longest text of this filler that fits, then top it up to exactly max with 'x'.
      const n = Math.floor(max / unit);
      const atLimit = fill.repeat(n) + 'x'.repeat(max - n * unit);
      const counted = report.textBudget({ ...base, text: atLimit }, buckets, writtenAt);
      assert.equal(counted.used, max, 'the text takes the whole budget');
      const built = report.buildReport(sodium, config, { ...base, text: atLimit, writtenAt });
      assert.equal(built.error, undefined, 'a text the counter accepts is sent');
      assert.equal(decode(built.body.sealed.ciphertext).length, 65536 + 16, 'it fills the largest bucket');
      const over = report.buildReport(sodium, config, { ...base, text: `${atLimit}x`, writtenAt });
      assert.deepEqual(over, { error: 'too_long' }, 'one byte more is refused before sending');
      assert.equal(report.textBudget({ ...base, text: `${atLimit}x` }, buckets, writtenAt).used, max + 1);
    });
  }
}

test('the counter counts written_at: without it a text at the limit would not fit', () => {
  const base = drafts.bare;
  const withDay = report.textBudget({ ...base, text: '' }, buckets).max;
  const plain = JSON.stringify({ v: 1, lang: 'en', text: '' });
  assert.equal(withDay, 65536 - 1 - plain.length - ',"written_at":"2026-01-01"'.length);
});

test('a report for a desk carries the reply keys in the body and in the sealed plaintext', () => {
  const config = makeConfig();
  const keys = reply();
  const { body } = report.buildReport(sodium, config, { ...drafts.bare, text: 'hi', reply: keys, writtenAt: '2026-01-02' });
  assert.deepEqual(body.reply, keys);
  const plain = new TextDecoder().decode(report.plaintextFor({ ...drafts.bare, text: 'hi', reply: keys }, '2026-01-02'));
  assert.deepEqual(JSON.parse(plain).reply, keys);
});

test('a count-only report never carries reply keys, text or sealed, whatever the draft holds', () => {
  const config = makeConfig();
  for (const consent of [[], ['police']]) {
    const { body, countOnly } = report.buildReport(sodium, config, { lang: 'en', role: 'sex_worker', category: 'health', consent, text: 'secret', reply: reply() });
    assert.equal(countOnly, true);
    assert.deepEqual(Object.keys(body).sort(), ['category', 'consent', 'desks', 'role', 'v']);
  }
});

test('the day the server received a report, in each language, in UTC; Thai in the Buddhist era', () => {
  assert.equal(formatDay('2026-11-29', 'es'), '29 de noviembre de 2026');
  assert.equal(formatDay('2026-11-29', 'nl'), '29 november 2026');
  assert.equal(formatDay('2026-11-29', 'en'), '29 November 2026');
  assert.equal(formatDay('2026-11-29', 'th'), '29 พฤศจิกายน 2569');
  // 1 January in UTC stays 1 January whatever the process's own zone is.
  assert.match(formatDay('2027-01-01', 'pl'), /^1 stycznia 2027/);
  assert.equal(formatDay('not a day', 'en'), 'not a day');
});

test('desk lists use the language\'s own conjunction', () => {
  const t = (lang) => Object.assign((key, v) => `${v.first} & ${v.last}`, { lang });
  assert.equal(listNames(['Zorg', 'Gemeente', 'Politie'], t('nl')), 'Zorg, Gemeente en Politie');
  assert.equal(listNames(['Salud', 'Policía'], t('es')), 'Salud y Policía');
  assert.equal(listNames(['A', 'B'], t('ru')), 'A и B');
  assert.equal(listNames(['Care'], t('en')), 'Care');
});

test('a new receipt: a fresh code per report, whose keys are the reply keys the report carries and seals', () => {
  const config = makeConfig();
  const desk = sodium.crypto_box_keypair();
  config.desks[0] = { id: 'care', public_key: encode(desk.publicKey), key_id: encode(sodium.crypto_generichash(32, desk.publicKey).slice(0, 8)) };
  const made = receipt.newReceipt(sodium);
  assert.match(made.code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  assert.deepEqual(Object.keys(made).sort(), ['code', 'reply'], 'nothing secret is kept beside the code');
  // Typed back later in lower case with spaces, the code gives the same keys.
  const again = receipt.receiptKeys(sodium, receipt.parseReceipt(made.code.toLowerCase().replaceAll('-', ' ')));
  assert.deepEqual(made.reply, { box_pk: encode(again.box.publicKey), mailbox_pk: encode(again.mailbox.publicKey) });
  const other = receipt.newReceipt(sodium);
  assert.notEqual(other.code, made.code);
  assert.notEqual(other.reply.box_pk, made.reply.box_pk);
  assert.notEqual(other.reply.mailbox_pk, made.reply.mailbox_pk);

  const { body } = report.buildReport(sodium, config, { ...drafts.bare, text: 'hear back', reply: made.reply });
  assert.deepEqual(body.reply, made.reply);
  const key = sodium.crypto_box_seal_open(decode(body.sealed.envelopes.care.sealed), desk.publicKey, desk.privateKey);
  const ad = new TextEncoder().encode(report.reportAd(body.role, body.category, body.consent, body.desks));
  const plain = JSON.parse(new TextDecoder().decode(report.unpad(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, decode(body.sealed.ciphertext), ad, decode(body.sealed.nonce), key))));
  assert.deepEqual(plain.reply, made.reply);
});
