// Key files (PROTOCOL.md section 10): a staff key file or a desk key backup, read and
// written exactly as signaal-inbox does. A locked file (v2) opens with its passphrase:
// NFC-normalised, Argon2id13 with bounded limits, then secretbox. The secrets stay in
// this tab's memory: nothing here sends or stores them. Every failure after the file's
// shape is known answers one code, so a wrong passphrase and a damaged file look alike.
import { decode, encode } from '../lib/base64url.js';

const MiB = 1024 * 1024;
/** What writers use (exactly), and what readers accept: a crafted file must not exhaust the reader. */
export const writeLimits = { opslimit: 3, memlimit: 64 * MiB };
export const readBounds = { opslimit: [1, 10], memlimit: [8 * MiB, 256 * MiB] };

const kinds = { 'signaal-staff-key': 'staff', 'signaal-desk-key': 'desk' };
const idPattern = /^[a-z0-9_-]{1,32}$/;
const utf8 = new TextEncoder();

const fail = (code) => ({ ok: false, code });
const bytes = (text, length) => {
  const b = decode(text);
  return b !== null && (length === undefined || b.length === length) ? b : null;
};
const equal = (sodium, a, b) => a.length === b.length && sodium.memcmp(a, b);
const inBounds = (n, [low, high]) => Number.isSafeInteger(n) && n >= low && n <= high;

/**
 * What a chosen file is, before any passphrase: {ok, kind: 'staff'|'desk', v, id, locked}
 * or {ok: false, code}: 'not_a_key_file', 'damaged', 'lock_out_of_bounds'.
 */
export function inspectKeyFile(text) {
  let file;
  try {
    file = JSON.parse(text);
  } catch {
    return fail('not_a_key_file');
  }
  const kind = kinds[file?.kind];
  if (!kind || (file.v !== 1 && file.v !== 2)) return fail('not_a_key_file');
  const id = kind === 'staff' ? file.staff : file.desk;
  if (typeof id !== 'string' || !idPattern.test(id)) return fail('damaged');
  if (file.v === 2) {
    const lock = file.lock;
    if (lock?.kdf !== 'argon2id13') return fail('damaged');
    if (!inBounds(lock.opslimit, readBounds.opslimit) || !inBounds(lock.memlimit, readBounds.memlimit)) return fail('lock_out_of_bounds');
  }
  return { ok: true, kind, v: file.v, id, locked: file.v === 2, file };
}

/** The secrets object sealed inside a v2 file, or a failure code. */
function unlock(sodium, file, passphrase) {
  if (typeof passphrase !== 'string') return fail('passphrase_needed');
  if (passphrase === '') return fail('empty_passphrase');
  const salt = bytes(file.lock.salt, sodium.crypto_pwhash_SALTBYTES);
  const nonce = bytes(file.nonce, sodium.crypto_secretbox_NONCEBYTES);
  const sealed = bytes(file.sealed);
  if (!salt || !nonce || !sealed || sealed.length < sodium.crypto_secretbox_MACBYTES) return fail('wrong_passphrase_or_damaged');
  const phrase = utf8.encode(passphrase.normalize('NFC'));
  const key = sodium.crypto_pwhash(32, phrase, salt, file.lock.opslimit, file.lock.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
  phrase.fill(0);
  let plain;
  try {
    plain = sodium.crypto_secretbox_open_easy(sealed, nonce, key);
  } catch {
    return fail('wrong_passphrase_or_damaged');
  } finally {
    key.fill(0);
  }
  try {
    const secrets = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain));
    return secrets && typeof secrets === 'object' ? { ok: true, secrets } : fail('wrong_passphrase_or_damaged');
  } catch {
    return fail('wrong_passphrase_or_damaged');
  } finally {
    plain.fill(0);
  }
}

/** The secrets of a v1 (clear) or v2 (locked) file; `field` names the id inside. */
function secretsOf(sodium, file, passphrase, field) {
  if (file.v === 1) return { ok: true, secrets: file };
  const opened = unlock(sodium, file, passphrase);
  if (!opened.ok) return opened;
  // The id inside is sealed with the secrets: a file whose outside was edited is refused.
  if (opened.secrets[field] !== file[field]) return fail('wrong_passphrase_or_damaged');
  return opened;
}

/**
 * Opens a staff key file: {ok, key: {staff, signPk, signSk, boxPk, boxSk, locked}}, or
 * {ok: false, code}: the codes of inspectKeyFile, 'not_a_staff_key', 'passphrase_needed',
 * 'empty_passphrase', 'wrong_passphrase_or_damaged' (v2), 'damaged' (v1).
 */
export function openStaffKey(sodium, text, passphrase) {
  const seen = inspectKeyFile(text);
  if (!seen.ok) return seen;
  if (seen.kind !== 'staff') return fail('not_a_staff_key');
  const { file } = seen;
  const broken = fail(file.v === 2 ? 'wrong_passphrase_or_damaged' : 'damaged');
  const signPk = bytes(file.sign_pk, 32);
  const boxPk = bytes(file.box_pk, 32);
  if (!signPk || !boxPk) return broken;
  const opened = secretsOf(sodium, file, passphrase, 'staff');
  if (!opened.ok) return opened;
  const signSk = bytes(opened.secrets.sign_sk, 64);
  const boxSk = bytes(opened.secrets.box_sk, 32);
  if (!signSk || !boxSk) return broken;
  // The public keys recomputed from the seeds must be the file's.
  const sign = sodium.crypto_sign_seed_keypair(signSk.subarray(0, 32));
  signSk.fill(0);
  const boxOk = equal(sodium, sodium.crypto_scalarmult_base(boxSk), boxPk);
  if (!equal(sodium, sign.publicKey, signPk) || !boxOk) {
    sign.privateKey.fill(0);
    boxSk.fill(0);
    return broken;
  }
  return { ok: true, key: { staff: file.staff, signPk, signSk: sign.privateKey, boxPk, boxSk, locked: file.v === 2 } };
}

/** Opens a desk key backup: {ok, key: {desk, publicKey, secretKey, locked}} or {ok: false, code}. */
export function openDeskKey(sodium, text, passphrase) {
  const seen = inspectKeyFile(text);
  if (!seen.ok) return seen;
  if (seen.kind !== 'desk') return fail('not_a_desk_key');
  const { file } = seen;
  const broken = fail(file.v === 2 ? 'wrong_passphrase_or_damaged' : 'damaged');
  const publicKey = bytes(file.public_key, 32);
  if (!publicKey) return broken;
  const opened = secretsOf(sodium, file, passphrase, 'desk');
  if (!opened.ok) return opened;
  const secretKey = bytes(opened.secrets.secret_key, 32);
  if (!secretKey) return broken;
  if (!equal(sodium, sodium.crypto_scalarmult_base(secretKey), publicKey)) {
    secretKey.fill(0);
    return broken;
  }
  return { ok: true, key: { desk: file.desk, publicKey, secretKey, locked: file.v === 2 } };
}

/** Wipes the secret halves of an opened key (sign-out, closing the tab's session). */
export function wipeKey(key) {
  for (const name of ['signSk', 'boxSk', 'secretKey']) key?.[name]?.fill(0);
}

/**
 * Seals `secrets` (an object, written as compact JSON) under a passphrase: the v2 fields
 * {lock, nonce, sealed}. `fixed` ({salt, nonce}) is for known-answer tests only.
 */
export function lockSecrets(sodium, secrets, passphrase, fixed = {}) {
  if (typeof passphrase !== 'string' || passphrase === '') throw new TypeError('a passphrase is needed');
  const salt = fixed.salt ?? sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  const nonce = fixed.nonce ?? sodium.randombytes_buf(sodium.crypto_secretbox_NONCEBYTES);
  const phrase = utf8.encode(passphrase.normalize('NFC'));
  const key = sodium.crypto_pwhash(32, phrase, salt, writeLimits.opslimit, writeLimits.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
  const plain = utf8.encode(JSON.stringify(secrets));
  const sealed = sodium.crypto_secretbox_easy(plain, nonce, key);
  for (const secret of [phrase, key, plain]) secret.fill(0);
  return {
    lock: { kdf: 'argon2id13', opslimit: writeLimits.opslimit, memlimit: writeLimits.memlimit, salt: encode(salt) },
    nonce: encode(nonce),
    sealed: encode(sealed),
  };
}

/** A v2 staff key file (an object; JSON.stringify it to save) for an opened staff key. */
export function lockStaffKey(sodium, key, passphrase, fixed) {
  const secrets = { staff: key.staff, sign_sk: encode(key.signSk), box_sk: encode(key.boxSk) };
  const locked = lockSecrets(sodium, secrets, passphrase, fixed);
  return { kind: 'signaal-staff-key', v: 2, staff: key.staff, sign_pk: encode(key.signPk), box_pk: encode(key.boxPk), ...locked };
}

/** A v2 desk key backup (an object) for a desk key pair. */
export function lockDeskKey(sodium, key, passphrase, fixed) {
  const secrets = { desk: key.desk, secret_key: encode(key.secretKey) };
  const locked = lockSecrets(sodium, secrets, passphrase, fixed);
  return { kind: 'signaal-desk-key', v: 2, desk: key.desk, public_key: encode(key.publicKey), ...locked };
}
