// Stepped consent in the pages' JavaScript (web/src/lib/consent.js, web/src/staff/forward.js),
// without a browser: the change the follow-up page signs, the check every desk client makes
// against the mailbox key sealed INSIDE the report, the replay of the changes compared with
// what the server says, and the web inbox's forward: it seals the report key to a pending
// desk only when every change is hers, and the new desk then opens exactly the report with
// the AD it was sealed with. What someone who can write the database could try (a change
// signed by another key, an edited change, an inserted pending desk, a swapped order) is
// refused, and nothing is sealed then.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadSodium, webDir } from './lib/modules.mjs';

const web = (p) => import(join(webDir, 'src', p));
const { encode, decode } = await web('lib/base64url.js');
const consent = await web('lib/consent.js');
const report = await web('lib/report.js');
const { receiptKeys } = await web('lib/receipt.js');
const { openReport } = await web('staff/open-report.js');
const { deskFingerprint } = await web('staff/fingerprint.js');
const forward = await web('staff/forward.js');
const sodium = await loadSodium();

const reportId = encode(sodium.randombytes_buf(16));
const her = receiptKeys(sodium, sodium.randombytes_buf(10));
const sign = (change, add, remove, keys = her, id = reportId) =>
  consent.signConsentChange(sodium, { reportId: id, change, add, remove, mailboxSk: keys.mailbox.privateKey });
const served = (body, day = '2026-11-29') => ({ change: body.change, day, add: body.add, remove: body.remove, signature: body.signature });
const verify = (changes, extra = {}) =>
  consent.verifyConsentChanges(sodium, { reportId, mailboxPk: her.mailbox.publicKey, sealedConsent: ['care'], sealedDesks: ['care'], changes, ...extra });

test('signConsentChange: the body of POST /mailbox/consent, lists sorted, signed over exactly the section 7 bytes', () => {
  const body = sign(3, ['police', 'municipality'], []);
  assert.deepEqual(Object.keys(body).sort(), ['add', 'change', 'remove', 'report_id', 'signature']);
  assert.deepEqual(body.add, ['municipality', 'police']);
  const signed = new TextEncoder().encode(`signaal/consent/v1\n${reportId}\n3\nmunicipality,police\n`);
  assert.ok(sodium.crypto_sign_verify_detached(decode(body.signature), signed, her.mailbox.publicKey));
  for (const bad of [
    { change: 0, add: ['police'], remove: [] },
    { change: 1.5, add: ['police'], remove: [] },
    { change: 1, add: [], remove: [] },
    { change: 1, add: ['police', 'police'], remove: [] },
    { change: 1, add: ['police'], remove: ['police'] },
    { change: 1, add: ['Police'], remove: [] },
    { change: 1, add: ['reporter'], remove: [] },
    { change: 1, add: 'police', remove: [] },
  ]) {
    assert.throws(() => consent.signConsentChange(sodium, { reportId, ...bad, mailboxSk: her.mailbox.privateKey }), /bad_change/, JSON.stringify(bad));
  }
});

test('verifyConsentChanges: her changes replay to the consent and the readers; each is verified', () => {
  const changes = [served(sign(1, ['police'], [])), served(sign(2, ['municipality'], ['care']))];
  const r = verify(changes);
  assert.equal(r.ok, true, JSON.stringify(r.problems));
  assert.deepEqual(r.consent, ['municipality', 'police']);
  assert.deepEqual(r.readers, ['municipality', 'police']);
  assert.deepEqual(r.verdicts.map((v) => [v.change, v.verdict, v.day]), [[1, 'verified', '2026-11-29'], [2, 'verified', '2026-11-29']]);
  // A consent that named a desk not routed for the category stays in consent, never in readers.
  const wide = verify([changes[0]], { sealedConsent: ['care', 'peers'] });
  assert.deepEqual([wide.consent, wide.readers], [['care', 'peers', 'police'], ['care', 'police']]);
  assert.deepEqual(verify([]), { ok: true, consent: ['care'], readers: ['care'], verdicts: [], problems: [] });
});

test('verifyConsentChanges: a foreign key, an edited list, another report, a swapped order, nonsense: refused', () => {
  const stranger = receiptKeys(sodium, sodium.randombytes_buf(10));
  assert.deepEqual(verify([served(sign(1, ['police'], [], stranger))]).problems, [{ change: 1, problem: 'bad_signature' }]);
  const edited = served(sign(1, ['police'], []));
  edited.add = ['municipality'];
  assert.deepEqual(verify([edited]).verdicts[0].verdict, 'bad_signature');
  assert.equal(verify([served(sign(1, ['police'], [], her, encode(sodium.randombytes_buf(16))))]).ok, false);
  const swapped = verify([served(sign(2, ['municipality'], [])), served(sign(1, ['police'], []))]);
  assert.deepEqual(swapped.problems.map((p) => p.problem), ['out_of_order', 'out_of_order']);
  assert.deepEqual(swapped.verdicts.map((v) => v.verdict), ['verified', 'verified'], 'each signature holds; the order does not');
  // A replayed change 1 as change 2 does not verify: the number is signed.
  const replay = { ...served(sign(1, ['police'], [])), change: 2 };
  assert.equal(verify([served(sign(1, ['municipality'], [])), replay]).ok, false);
  assert.deepEqual(verify([{ change: 1, add: 'police', remove: [], signature: 'x' }]).problems, [{ change: 1, problem: 'malformed' }]);
  assert.deepEqual(verify([null]).problems, [{ change: null, problem: 'malformed' }]);
  assert.deepEqual(verify([served(sign(1, ['care'], []))]).problems, [{ change: 1, problem: 'already_reader' }]);
  assert.deepEqual(verify([served(sign(1, [], ['police']))]).problems, [{ change: 1, problem: 'not_a_reader' }]);
  assert.deepEqual(verify([served(sign(1, [], ['care']))]).problems, [{ change: 1, problem: 'no_reader_left' }]);
  assert.deepEqual(verify([served(sign(1, ['police'], []))], { mailboxPk: null }).problems.map((p) => p.problem), ['no_mailbox_key', 'bad_signature']);
});

test('sealReportKeyTo: opens with the desk\'s secret key; a key id that does not match its key seals nothing', () => {
  const desk = sodium.crypto_box_keypair();
  const keyId = encode(sodium.crypto_generichash(32, desk.publicKey).subarray(0, 8));
  const k = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const env = consent.sealReportKeyTo(sodium, k, { key_id: keyId, public_key: encode(desk.publicKey) });
  assert.equal(env.key_id, keyId);
  assert.equal(decode(env.sealed).length, 80);
  assert.deepEqual(sodium.crypto_box_seal_open(decode(env.sealed), desk.publicKey, desk.privateKey), k);
  const other = sodium.crypto_box_keypair();
  assert.throws(() => consent.sealReportKeyTo(sodium, k, { key_id: keyId, public_key: encode(other.publicKey) }), /bad_key/);
  assert.throws(() => consent.sealReportKeyTo(sodium, k, { key_id: keyId, public_key: 'AAAA' }), /bad_key/);
  assert.throws(() => consent.sealReportKeyTo(sodium, k.subarray(0, 16), { key_id: keyId, public_key: encode(desk.publicKey) }), /bad_key/);
});

test('nextChange: one more than the highest served', () => {
  assert.equal(consent.nextChange(undefined), 1);
  assert.equal(consent.nextChange([]), 1);
  assert.equal(consent.nextChange([{ change: 1 }, { change: 3 }, { change: 'x' }]), 4);
});

// ---- the web inbox's forward ---------------------------------------------------------

function deskKey(desk) {
  const pair = sodium.crypto_box_keypair();
  const keyId = encode(sodium.crypto_generichash(32, pair.publicKey).subarray(0, 8));
  return { desk, keyId, publicKey: pair.publicKey, secretKey: pair.privateKey, configEntry: { id: desk, key_id: keyId, public_key: encode(pair.publicKey) } };
}
const care = deskKey('care');
const police = deskKey('police');
const config = {
  desks: [care.configEntry, police.configEntry],
  routing: { physical_violence: ['care', 'police'] },
  padding_buckets: [1024, 4096],
};
const text = 'He keeps my passport. Care first; maybe the police later.';

/** A report to care only, with her reply keys, as the server serves it after she added police. */
function careOnlyReport(changes, overrides = {}) {
  const reply = { box_pk: encode(her.box.publicKey), mailbox_pk: encode(her.mailbox.publicKey) };
  const { body } = report.buildReport(sodium, config, { lang: 'en', role: 'sex_worker', category: 'physical_violence', text, consent: ['care'], reply, writtenAt: '2026-11-29' });
  return {
    id: reportId, received_day: '2026-11-29', role: body.role, category: body.category,
    consent: ['care', 'police'], desks: ['care'], sealed_consent: body.consent, sealed_desks: body.desks, pending: ['police'],
    consent_changes: changes, nonce: body.sealed.nonce, ciphertext: body.sealed.ciphertext, envelopes: body.sealed.envelopes,
    mailbox: true, reply_box_pk: reply.box_pk, reply_mailbox_pk: reply.mailbox_pk, ...overrides,
  };
}

test('forward: verified first, then the report key sealed to police, which opens exactly her text with the sealed AD', () => {
  const view = careOnlyReport([served(sign(1, ['police'], []))]);
  const opened = openReport(sodium, view, [care]);
  const review = forward.consentReview(sodium, view, opened.plain);
  assert.equal(review.ok, true, JSON.stringify(review.problems));
  assert.equal(review.matches, true);
  const built = forward.buildForward(sodium, { view, deskKeys: [care], config });
  assert.equal(built.ok, true, JSON.stringify(built));
  assert.deepEqual(Object.keys(built.body.envelopes), ['police']);
  assert.deepEqual(built.targets, [{ desk: 'police', key_id: police.keyId, fingerprint: deskFingerprint(sodium, police.publicKey) }]);
  assert.match(built.targets[0].fingerprint, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
  // As the server would serve it to police once sealed: its own envelope, the AD as sealed.
  const policeView = { ...view, desks: ['care', 'police'], pending: [], envelopes: { police: built.body.envelopes.police } };
  const theirs = openReport(sodium, policeView, [police]);
  assert.equal(theirs.ok, true);
  assert.equal(theirs.plain.text, text);
  // Police checks her signature too, against the key inside what it decrypted.
  assert.equal(forward.consentReview(sodium, policeView, theirs.plain).ok, true);
  assert.equal(forward.buildForward(sodium, { view: policeView, deskKeys: [police], config }).code, 'nothing_pending');
});

test('forward refuses, sealing nothing: a change signed by another key, an inserted pending desk, a served key that is not hers', () => {
  const stranger = receiptKeys(sodium, sodium.randombytes_buf(10));
  const forged = careOnlyReport([served(sign(1, ['police'], [], stranger))]);
  const refused = forward.buildForward(sodium, { view: forged, deskKeys: [care], config });
  assert.equal(refused.ok, false);
  assert.equal(refused.code, 'not_verified');
  assert.equal(refused.body, undefined);
  assert.ok(refused.problems.some((p) => p.problem === 'bad_signature'));
  // Pending police without any change of hers: the replay does not give what the server says.
  const inserted = forward.buildForward(sodium, { view: careOnlyReport([]), deskKeys: [care], config });
  assert.deepEqual([inserted.code, inserted.problems], ['not_verified', [{ change: null, problem: 'replay_differs' }]]);
  // The server swaps the served mailbox key for one it controls and signs with it: the
  // client checks against the key sealed inside the report, so it is still refused.
  const swapped = careOnlyReport([served(sign(1, ['police'], [], stranger))], { reply_mailbox_pk: encode(stranger.mailbox.publicKey) });
  assert.equal(forward.buildForward(sodium, { view: swapped, deskKeys: [care], config }).code, 'not_verified');
  // A change of hers for municipality, but police pending: differs.
  const other = careOnlyReport([served(sign(1, ['municipality'], []))]);
  assert.equal(forward.buildForward(sodium, { view: other, deskKeys: [care], config }).code, 'not_verified');
});

test('forward refuses without an envelope of its own, for a desk that is not pending, or without a good key for it', () => {
  const view = careOnlyReport([served(sign(1, ['police'], []))]);
  assert.equal(forward.buildForward(sodium, { view, deskKeys: [police], config }).code, 'not_opened');
  assert.equal(forward.buildForward(sodium, { view, deskKeys: [care], config, only: 'municipality' }).code, 'not_pending');
  assert.equal(forward.buildForward(sodium, { view, deskKeys: [care], config, only: 'police' }).ok, true);
  const tampered = { ...config, desks: [care.configEntry, { ...police.configEntry, public_key: care.configEntry.public_key }] };
  assert.equal(forward.buildForward(sodium, { view, deskKeys: [care], config: tampered }).code, 'no_desk_key');
  assert.equal(forward.buildForward(sodium, { view, deskKeys: [care], config: { desks: [care.configEntry] } }).code, 'no_desk_key');
  assert.equal(forward.consentReview(sodium, view, null).problems[0].problem, 'not_opened');
});
