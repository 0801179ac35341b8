// Sealed messages of the anonymous follow-up (PROTOCOL.md section 7), both ways: the
// reporter's signed message to her report's desks, a desk's reply boxed from the desk key,
// and opening either as the reporter or as a desk. Pure functions; the libsodium instance
// is handed in (as in report.js), so node tests and every page use the same code.
//
// What a reader can trust: a desk reply counts as from that desk only when its reporter
// envelope opens under that desk's public key (crypto_box authenticates the sender); a
// reporter message only when its signature holds under the report's mailbox_pk. Anything
// else is reported as such and carries no text, so nobody who can write the database can
// put words in another's mouth.
import { encode, decode } from './base64url.js';
import { pad, unpad, sortIds } from './report.js';

const utf8 = new TextEncoder();
const reporter = 'reporter';
const deskPrefix = 'desk:';

/** `signaal/message/v1` \n report id \n sender \n join(",", sorted recipients). */
export function messageAd(reportId, sender, recipients) {
  return ['signaal/message/v1', reportId, sender, sortIds(recipients).join(',')].join('\n');
}

/** What the reporter signs: `signaal/msgsig/v1\n` ‖ AD ‖ `\n` ‖ raw nonce ‖ raw ciphertext. */
export function messageSignedBytes(ad, nonce, ciphertext) {
  const head = utf8.encode(`signaal/msgsig/v1\n${ad}\n`);
  const out = new Uint8Array(head.length + nonce.length + ciphertext.length);
  out.set(head);
  out.set(nonce, head.length);
  out.set(ciphertext, head.length + nonce.length);
  return out;
}

/** What the reporter signs to change consent (section 7, stepped consent). */
export function consentSignedBytes(reportId, change, add, remove) {
  return utf8.encode(['signaal/consent/v1', reportId, String(change), sortIds(add).join(','), sortIds(remove).join(',')].join('\n'));
}

/** Bytes from a Uint8Array or a base64url string (keys come both ways from config and receipts). */
function bytes(value) {
  return typeof value === 'string' ? decode(value) : value;
}

/** The padded plaintext {"v":1,"lang","text","n"}; throws 'too_long' or 'bad_n'. */
function paddedPlaintext({ lang, text, n }, buckets) {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error('bad_n');
  const plain = utf8.encode(JSON.stringify({ v: 1, lang, text, n }));
  const padded = pad(plain, buckets);
  plain.fill(0);
  if (!padded) throw new Error('too_long');
  return padded;
}

/** AEAD-encrypts a message under a fresh key: {key, nonce, ciphertext}; the caller wipes key. */
function encrypt(sodium, fields, buckets, ad) {
  const padded = paddedPlaintext(fields, buckets);
  const key = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, utf8.encode(ad), null, nonce, key);
  sodium.memzero(padded);
  return { key, nonce, ciphertext };
}

/** A desk's public key from the config, refused when its key id does not match it. */
function checkedDeskKey(sodium, { key_id: keyId, public_key: publicKey }) {
  const pk = bytes(publicKey);
  if (!pk || pk.length !== sodium.crypto_box_PUBLICKEYBYTES) throw new Error('bad_config');
  if (encode(sodium.crypto_generichash(32, pk).slice(0, 8)) !== keyId) throw new Error('bad_config');
  return pk;
}

/**
 * Reporter → desks: the body of POST /api/v1/mailbox/messages. deskKeys: {desk: {key_id,
 * public_key}} as in /api/v1/config; a `reporter` envelope sealed to her own box_pk is
 * added so that she can read her message later. Throws Error('too_long' | 'bad_config' |
 * 'bad_n' | 'no_desk').
 */
export function sealReporterMessage(sodium, { reportId, deskKeys, boxPk, mailboxSk, text, lang, n, buckets }) {
  const desks = sortIds(Object.keys(deskKeys ?? {}));
  if (desks.length === 0 || desks.includes(reporter)) throw new Error('no_desk');
  const deskPks = desks.map((d) => checkedDeskKey(sodium, deskKeys[d]));
  const ad = messageAd(reportId, reporter, [...desks, reporter]);
  const { key, nonce, ciphertext } = encrypt(sodium, { lang, text, n }, buckets, ad);
  const envelopes = {};
  desks.forEach((d, i) => {
    envelopes[d] = { key_id: deskKeys[d].key_id, sealed: encode(sodium.crypto_box_seal(key, deskPks[i])) };
  });
  envelopes[reporter] = { sealed: encode(sodium.crypto_box_seal(key, bytes(boxPk))) };
  sodium.memzero(key);
  const signature = sodium.crypto_sign_detached(messageSignedBytes(ad, nonce, ciphertext), bytes(mailboxSk));
  return { report_id: reportId, nonce: encode(nonce), ciphertext: encode(ciphertext), envelopes, signature: encode(signature) };
}

/**
 * Desk → reporter: the body of POST /api/v1/reports/<id>/messages. deskKey: {key_id,
 * public_key, secret_key} of that desk. The reporter envelope is crypto_box_easy from the
 * desk's secret key, so her page can tell the reply came from the desk. Throws like
 * sealReporterMessage.
 */
export function sealDeskReply(sodium, { reportId, desk, deskKey, reporterBoxPk, text, lang, n, buckets }) {
  const deskPk = checkedDeskKey(sodium, deskKey);
  const ad = messageAd(reportId, deskPrefix + desk, [desk, reporter]);
  const { key, nonce, ciphertext } = encrypt(sodium, { lang, text, n }, buckets, ad);
  const boxNonce = sodium.randombytes_buf(sodium.crypto_box_NONCEBYTES);
  const box = sodium.crypto_box_easy(key, boxNonce, bytes(reporterBoxPk), bytes(deskKey.secret_key));
  const envelopes = {
    [desk]: { key_id: deskKey.key_id, sealed: encode(sodium.crypto_box_seal(key, deskPk)) },
    [reporter]: { key_id: deskKey.key_id, nonce: encode(boxNonce), box: encode(box) },
  };
  sodium.memzero(key);
  return { desk, nonce: encode(nonce), ciphertext: encode(ciphertext), envelopes };
}

/** libsodium throws where we want null. */
function attempt(fn) {
  try {
    return fn() ?? null;
  } catch {
    return null;
  }
}

/** Decrypts and parses a served message with its key: {text, lang, n} or null. */
function decrypt(sodium, message, key) {
  const ciphertext = decode(message.ciphertext ?? '');
  const nonce = decode(message.nonce ?? '');
  if (!ciphertext || !nonce || !Array.isArray(message.recipients)) return null;
  const ad = utf8.encode(messageAd(message.report_id, message.sender, message.recipients));
  const padded = attempt(() => sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, key));
  if (!padded) return null;
  const plain = unpad(padded);
  sodium.memzero(padded);
  const p = plain && attempt(() => JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain)));
  if (!p || p.v !== 1 || typeof p.text !== 'string' || typeof p.lang !== 'string' || !Number.isSafeInteger(p.n) || p.n < 1) return null;
  return { text: p.text, lang: p.lang, n: p.n };
}

/** Whether a served reporter message carries a valid signature by mailboxPk. */
function signedByReporter(sodium, message, mailboxPk) {
  const pk = mailboxPk && bytes(mailboxPk);
  const signature = decode(message.signature ?? '');
  const nonce = decode(message.nonce ?? '');
  const ciphertext = decode(message.ciphertext ?? '');
  if (!pk || !signature || !nonce || !ciphertext || !Array.isArray(message.recipients)) return false;
  const signed = messageSignedBytes(messageAd(message.report_id, message.sender, message.recipients), nonce, ciphertext);
  return attempt(() => sodium.crypto_sign_verify_detached(signature, signed, pk)) === true;
}

/** Opens a served message with its (already authenticated) key, then wipes the key. */
function withKey(sodium, message, key) {
  const sender = message.sender;
  if (!key) return { status: 'unreadable', sender };
  const content = decrypt(sodium, message, key);
  sodium.memzero(key);
  return content ? { status: 'ok', sender, ...content } : { status: 'unreadable', sender };
}

/**
 * The reporter opens a served message (from GET /api/v1/mailbox). boxPk, boxSk, mailboxPk:
 * her receipt's keys; deskPublicKeys: {key_id: {desk, public_key}} from /api/v1/config
 * (current keys and previous_keys). → {status, sender, text, lang, n}, status:
 * 'ok'; 'unchecked' (claims a sender it cannot be shown to come from: a desk reply whose
 * envelope does not open under that desk's key, a reporter message without her valid
 * signature); 'unreadable' (damaged). Only 'ok' carries text, lang and n.
 */
export function openAsReporter(sodium, message, { boxPk, boxSk, mailboxPk, deskPublicKeys }) {
  const env = message?.envelopes?.[reporter];
  if (!env || typeof message.sender !== 'string') return { status: 'unreadable', sender: message?.sender ?? null };
  if (message.sender === reporter) {
    if (!signedByReporter(sodium, message, mailboxPk)) return { status: 'unchecked', sender: reporter };
    const sealed = decode(env.sealed ?? '');
    return withKey(sodium, message, sealed && attempt(() => sodium.crypto_box_seal_open(sealed, bytes(boxPk), bytes(boxSk))));
  }
  if (!message.sender.startsWith(deskPrefix)) return { status: 'unchecked', sender: message.sender };
  const desk = message.sender.slice(deskPrefix.length);
  const known = Object.hasOwn(deskPublicKeys ?? {}, env.key_id ?? '') ? deskPublicKeys[env.key_id] : null;
  const box = decode(env.box ?? '');
  const nonce = decode(env.nonce ?? '');
  if (!known || known.desk !== desk || !box || !nonce) return { status: 'unchecked', sender: message.sender };
  const key = attempt(() => sodium.crypto_box_open_easy(box, nonce, bytes(known.public_key), bytes(boxSk)));
  if (!key) return { status: 'unchecked', sender: message.sender };
  return withKey(sodium, message, key);
}

/**
 * A desk opens a served message (from its report view). deskSecrets: {desk: {key_id:
 * secret_key}}; mailboxPk: the `reply.mailbox_pk` inside the decrypted report (never the
 * served one). A reporter message needs her valid signature, else 'bad_signature'.
 * → {status: 'ok'|'bad_signature'|'unreadable', sender, text, lang, n}.
 */
export function openAsDesk(sodium, message, { deskSecrets, mailboxPk }) {
  const sender = message?.sender ?? null;
  if (sender === reporter && !signedByReporter(sodium, message, mailboxPk)) return { status: 'bad_signature', sender };
  for (const [desk, keys] of Object.entries(deskSecrets ?? {})) {
    const env = message?.envelopes?.[desk];
    if (!env || !Object.hasOwn(keys, env.key_id ?? '')) continue;
    const sealed = decode(env.sealed ?? '');
    const sk = bytes(keys[env.key_id]);
    const key = sealed && attempt(() => sodium.crypto_box_seal_open(sealed, sodium.crypto_scalarmult_base(sk), sk));
    if (key) return withKey(sodium, message, key);
  }
  return { status: 'unreadable', sender };
}

/** The n for the next message from sender: 1 + the highest n seen from it. */
export function nextN(openedMessages, sender) {
  let highest = 0;
  for (const m of openedMessages) if (m.sender === sender && Number.isSafeInteger(m.n) && m.n > highest) highest = m.n;
  return highest + 1;
}

/**
 * Per message, in the order given (the stored order): null, 'repeat' (an n this sender
 * already used) or 'replay' (lower than one seen from it). Gaps are normal: a message
 * may have gone to other desks only.
 */
export function sequenceFlags(openedMessages) {
  const seen = new Map();
  return openedMessages.map((m) => {
    if (!Number.isSafeInteger(m.n)) return null;
    const s = seen.get(m.sender) ?? { ns: new Set(), highest: 0 };
    seen.set(m.sender, s);
    const flag = s.ns.has(m.n) ? 'repeat' : m.n < s.highest ? 'replay' : null;
    s.ns.add(m.n);
    s.highest = Math.max(s.highest, m.n);
    return flag;
  });
}
