// The staff pages' own code (web/src/staff), beyond the known answers of web_vectors:
// a locked key file is refused with a damaged file, a `staff` inside that differs from
// the one outside, lock limits out of bounds, an empty passphrase and keys that do not
// belong together; a desk key made in the browser grants to every holder and opens a
// report sealed to it; the staff modules touch no storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSumoSodium, repoDir, webDir } from './lib/modules.mjs';

const web = (p) => import(join(webDir, 'src', p));
const { decode, encode } = await web('lib/base64url.js');
const keyfile = await web('staff/keyfile.js');
const deskKeys = await web('staff/desk-keys.js');
const { openReport } = await web('staff/open-report.js');
const report = await web('lib/report.js');
const sodium = await loadSumoSodium();
const vectors = JSON.parse(readFileSync(join(repoDir, 'tests/data/protocol-vectors.json'), 'utf8'));
const lockVector = vectors.staff_key_lock[0];
const phrase = lockVector.passphrase;
const lockedText = JSON.stringify(lockVector.file);
const careDemo = keyfile.openStaffKey(sodium, lockedText, phrase).key;

/** A v1 file for a fresh staff key pair. */
function freshV1(staff) {
  const sign = sodium.crypto_sign_keypair();
  const box = sodium.crypto_box_keypair();
  return { kind: 'signaal-staff-key', v: 1, staff, sign_pk: encode(sign.publicKey), sign_sk: encode(sign.privateKey), box_pk: encode(box.publicKey), box_sk: encode(box.privateKey) };
}

test('a v1 file opens unlocked (the page warns), a v2 file asks for its passphrase', () => {
  const v1 = keyfile.openStaffKey(sodium, JSON.stringify(freshV1('care-demo')));
  assert.ok(v1.ok);
  assert.equal(v1.key.locked, false);
  const seen = keyfile.inspectKeyFile(lockedText);
  assert.deepEqual([seen.ok, seen.kind, seen.v, seen.id, seen.locked], [true, 'staff', 2, 'care-demo', true]);
  assert.deepEqual(keyfile.openStaffKey(sodium, lockedText), { ok: false, code: 'passphrase_needed' });
  assert.deepEqual(keyfile.openStaffKey(sodium, lockedText, ''), { ok: false, code: 'empty_passphrase' });
});

test('a locked file made here from a v1 file opens with its passphrase in NFC or NFD, and only with it', () => {
  const v1 = keyfile.openStaffKey(sodium, JSON.stringify(freshV1('police-demo'))).key;
  const locked = keyfile.lockStaffKey(sodium, v1, 'Één sleutel');
  assert.deepEqual(locked.lock.opslimit, 3);
  assert.deepEqual(locked.lock.memlimit, 67108864);
  for (const typed of ['Één sleutel'.normalize('NFC'), 'Één sleutel'.normalize('NFD')]) {
    const opened = keyfile.openStaffKey(sodium, JSON.stringify(locked), typed);
    assert.ok(opened.ok, opened.code);
    assert.equal(encode(opened.key.boxSk), encode(v1.boxSk));
  }
  assert.equal(keyfile.openStaffKey(sodium, JSON.stringify(locked), 'één sleutel').code, 'wrong_passphrase_or_damaged');
});

test('a damaged locked file gets the same answer as a wrong passphrase', () => {
  const damaged = [];
  const flip = (b64) => {
    const b = decode(b64);
    b[3] ^= 1;
    return encode(b);
  };
  damaged.push({ ...lockVector.file, sealed: flip(lockVector.file.sealed) });
  damaged.push({ ...lockVector.file, nonce: flip(lockVector.file.nonce) });
  damaged.push({ ...lockVector.file, lock: { ...lockVector.file.lock, salt: flip(lockVector.file.lock.salt) } });
  damaged.push({ ...lockVector.file, sealed: lockVector.file.sealed.slice(0, 20) });
  damaged.push({ ...lockVector.file, nonce: `${lockVector.file.nonce}=` });
  // The public keys outside that do not belong to the secrets inside.
  damaged.push({ ...lockVector.file, box_pk: encode(sodium.crypto_box_keypair().publicKey) });
  damaged.push({ ...lockVector.file, sign_pk: encode(sodium.crypto_sign_keypair().publicKey) });
  for (const file of damaged) {
    assert.deepEqual(keyfile.openStaffKey(sodium, JSON.stringify(file), phrase), { ok: false, code: 'wrong_passphrase_or_damaged' }, JSON.stringify(file).slice(0, 80));
  }
});

test('a `staff` outside that differs from the one sealed inside is refused', () => {
  const renamed = { ...lockVector.file, staff: 'police-demo' };
  assert.deepEqual(keyfile.openStaffKey(sodium, JSON.stringify(renamed), phrase), { ok: false, code: 'wrong_passphrase_or_damaged' });
  // The same file, relocked with the other name inside, opens: the check is the name.
  const relocked = keyfile.lockStaffKey(sodium, { ...careDemo, staff: 'police-demo' }, phrase);
  assert.equal(keyfile.openStaffKey(sodium, JSON.stringify(relocked), phrase).key.staff, 'police-demo');
});

test('lock limits out of bounds are refused before any passphrase is tried', () => {
  const MiB = 1024 * 1024;
  const cases = [
    { opslimit: 0 }, { opslimit: 11 }, { opslimit: 2.5 }, { opslimit: '3' },
    { memlimit: 8 * MiB - 1 }, { memlimit: 256 * MiB + 1 }, { memlimit: 1024 * MiB },
  ];
  for (const change of cases) {
    const file = { ...lockVector.file, lock: { ...lockVector.file.lock, ...change } };
    assert.deepEqual(keyfile.inspectKeyFile(JSON.stringify(file)), { ok: false, code: 'lock_out_of_bounds' }, JSON.stringify(change));
    assert.equal(keyfile.openStaffKey(sodium, JSON.stringify(file), phrase).code, 'lock_out_of_bounds');
  }
  // The edges themselves are accepted (the file then fails as damaged: other limits).
  const edge = { ...lockVector.file, lock: { ...lockVector.file.lock, opslimit: 1, memlimit: 8 * MiB } };
  assert.equal(keyfile.inspectKeyFile(JSON.stringify(edge)).ok, true);
  assert.equal(keyfile.openStaffKey(sodium, JSON.stringify(edge), phrase).code, 'wrong_passphrase_or_damaged');
  assert.deepEqual(keyfile.inspectKeyFile(JSON.stringify({ ...lockVector.file, lock: { ...lockVector.file.lock, kdf: 'scrypt' } })), { ok: false, code: 'damaged' });
});

test('not a key file, a desk file where a staff file is wanted, and a v1 file whose keys do not match', () => {
  for (const text of ['', 'not json', '[]', '{"kind":"signaal-staff-key","v":3}', '{"kind":"other","v":1}']) {
    assert.deepEqual(keyfile.openStaffKey(sodium, text), { ok: false, code: 'not_a_key_file' }, text);
  }
  assert.equal(keyfile.openStaffKey(sodium, JSON.stringify(vectors.desk_key_lock[0].file), phrase).code, 'not_a_staff_key');
  const a = freshV1('care-demo');
  const b = freshV1('care-demo');
  assert.equal(keyfile.openStaffKey(sodium, JSON.stringify({ ...a, box_sk: b.box_sk })).code, 'damaged');
  assert.equal(keyfile.openStaffKey(sodium, JSON.stringify({ ...a, sign_sk: b.sign_sk })).code, 'damaged');
  assert.equal(keyfile.openStaffKey(sodium, JSON.stringify({ ...a, staff: 'Care Demo' })).code, 'damaged');
});

test('a desk key made here: one grant per holder, each opens for its holder only, and opens a report sealed to it', () => {
  const holders = ['care-demo', 'care-two'].map((id) => ({ id, key: keyfile.openStaffKey(sodium, JSON.stringify(freshV1(id))).key }));
  const me = holders[0].key;
  const { body, key } = deskKeys.makeDeskKeyUpload(sodium, { desk: 'care', me, holders: holders.map((h) => ({ id: h.id, box_pk: encode(h.key.boxPk) })) });
  assert.equal(body.grants.length, 2);
  assert.deepEqual(body.grants.map((g) => [g.to, g.by, g.desk, g.key_id]), [['care-demo', 'care-demo', 'care', key.keyId], ['care-two', 'care-demo', 'care', key.keyId]]);
  assert.match(key.fingerprint, /^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]{4}$/);
  for (const h of holders) {
    const grant = body.grants.find((g) => g.to === h.id);
    const accepted = deskKeys.acceptDeskKey(sodium, h.key, { ...grant, public_key: body.public_key }, me.signPk);
    assert.ok(accepted.ok, accepted.code);
    assert.equal(accepted.key.fingerprint, key.fingerprint);
    const other = holders.find((x) => x !== h);
    assert.equal(deskKeys.acceptDeskKey(sodium, { ...other.key, staff: h.id }, { ...grant, public_key: body.public_key }, me.signPk).code, 'unwrap_failed');
  }

  const config = { desks: [{ id: 'care', public_key: body.public_key, key_id: key.keyId }], routing: { health: ['care'] }, padding_buckets: [1024] };
  const draft = { lang: 'en', role: 'sex_worker', category: 'health', text: 'Opened in the browser', consent: ['care', 'police'], writtenAt: '2026-11-29' };
  const built = report.buildReport(sodium, config, draft).body;
  const view = {
    id: 'x', role: built.role, category: built.category, consent: built.consent, desks: built.desks,
    sealed_consent: built.consent, sealed_desks: built.desks, nonce: built.sealed.nonce, ciphertext: built.sealed.ciphertext, envelopes: built.sealed.envelopes,
  };
  const opened = openReport(sodium, view, [key]);
  assert.ok(opened.ok, opened.code);
  assert.equal(opened.plain.text, draft.text);
  // The AD is the consent as sealed: another consent does not open.
  assert.equal(openReport(sodium, { ...view, sealed_consent: ['care'] }, [key]).code, 'cannot_open');
  assert.equal(openReport(sodium, view, []).code, 'no_key');
  assert.equal(openReport(sodium, { ...view, ciphertext: undefined, envelopes: undefined }, [key]).code, 'count_only');
});

test('the staff modules never touch web storage or cookies', () => {
  const dir = join(webDir, 'src/staff');
  for (const name of readdirSync(dir)) {
    const source = readFileSync(join(dir, name), 'utf8');
    assert.doesNotMatch(source, /localStorage|sessionStorage|indexedDB|document\.cookie|caches\./, name);
  }
});
