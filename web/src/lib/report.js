// Building a report exactly as PROTOCOL.md section 5 says. Pure functions, plus
// one that encrypts with a libsodium instance handed in (so node tests can use it too).
import { encode, decode } from './base64url.js';

const utf8 = new TextEncoder();

/** Desk and category ids are ASCII, so comparing UTF-16 code units is bytewise order. */
export function sortIds(ids) {
  return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** desks = consent ∩ routing[category], sorted bytewise (step 2). */
export function routedDesks(consent, routing, category) {
  const allowed = new Set(routing?.[category] ?? []);
  return sortIds(new Set([...consent].filter((d) => allowed.has(d))));
}

/** The associated data of step 6, as a string (ASCII by construction). */
export function reportAd(role, category, consent, desks) {
  return ['signaal/report/v1', role, category, sortIds(consent).join(','), desks.join(',')].join('\n');
}

/** The smallest bucket L with L >= length + 1, or null when none fits (step 5). */
export function bucketFor(length, buckets) {
  let best = null;
  for (const b of buckets) if (b >= length + 1 && (best === null || b < best)) best = b;
  return best;
}

/** P || 0x80 || 0x00…, to the bucket; null when no bucket fits. */
export function pad(plaintext, buckets) {
  const size = bucketFor(plaintext.length, buckets);
  if (size === null) return null;
  const out = new Uint8Array(size);
  out.set(plaintext);
  out[plaintext.length] = 0x80;
  return out;
}

/** The inverse of pad; null when the padding is malformed. */
export function unpad(padded) {
  let i = padded.length - 1;
  while (i >= 0 && padded[i] === 0) i--;
  if (i < 0 || padded[i] !== 0x80) return null;
  return padded.slice(0, i);
}

/**
 * The plaintext P of step 4: {"v":1,"lang","text"} plus the optional coarse fields, the
 * reply keys (only when a desk receives the report), and the UTC day it was written.
 * The counter and the sender both build P here, so what is counted is what is sent.
 */
export function plaintextFor(draft, writtenAt = draft.writtenAt ?? utcDay()) {
  const p = { v: 1, lang: draft.lang, text: draft.text };
  if (draft.when) p.when = draft.when;
  if (draft.where) p.where = draft.where;
  if (draft.reply) p.reply = { box_pk: draft.reply.box_pk, mailbox_pk: draft.reply.mailbox_pk };
  p.written_at = writtenAt;
  return utf8.encode(JSON.stringify(p));
}

/**
 * How much of the largest bucket the text takes, in bytes as it is sent (UTF-8,
 * JSON-escaped), and how much it may take, given everything else in P (written_at
 * included): a text with used <= max pads into a bucket, one byte more does not.
 */
export function textBudget(draft, buckets, writtenAt = draft.writtenAt ?? utcDay()) {
  const empty = plaintextFor({ ...draft, text: '' }, writtenAt).length;
  const full = plaintextFor(draft, writtenAt).length;
  const largest = Math.max(...buckets);
  return { used: full - empty, max: largest - 1 - empty };
}

/** Today's UTC day, YYYY-MM-DD: reports carry no time of day. */
export function utcDay(date = new Date()) {
  return date.toISOString().slice(0, 10);
}

/**
 * The body of POST /api/v1/reports without `pow`, or {error} when it cannot be built.
 * A count-only report (no desk receives it) carries no text, no `sealed` and never
 * `reply` (section 5: reply keys would link it to the reporter's other reports).
 * @returns {{body: object, countOnly: boolean} | {error: 'too_long'|'bad_config'}}
 */
export function buildReport(sodium, config, draft) {
  const consent = sortIds(new Set(draft.consent));
  const desks = routedDesks(consent, config.routing, draft.category);
  const body = { v: 1, role: draft.role, category: draft.category, consent, desks };
  if (desks.length === 0) return { body, countOnly: true };

  const recipients = [];
  for (const id of desks) {
    const desk = config.desks.find((d) => d.id === id);
    const pk = desk && decode(desk.public_key);
    if (!pk || pk.length !== sodium.crypto_box_PUBLICKEYBYTES) return { error: 'bad_config' };
    // A key id that does not match its key means a broken or tampered config: stop.
    if (encode(sodium.crypto_generichash(32, pk).slice(0, 8)) !== desk.key_id) return { error: 'bad_config' };
    recipients.push({ id, pk, keyId: desk.key_id });
  }

  const plaintext = plaintextFor(draft, draft.writtenAt ?? utcDay());
  const padded = pad(plaintext, config.padding_buckets);
  plaintext.fill(0);
  if (!padded) return { error: 'too_long' };

  const key = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ad = utf8.encode(reportAd(draft.role, draft.category, consent, desks));
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, ad, null, nonce, key);
  sodium.memzero(padded);
  const envelopes = {};
  for (const r of recipients) {
    envelopes[r.id] = { key_id: r.keyId, sealed: encode(sodium.crypto_box_seal(key, r.pk)) };
  }
  sodium.memzero(key);
  body.sealed = { nonce: encode(nonce), ciphertext: encode(ciphertext), envelopes };
  if (draft.reply) body.reply = { box_pk: draft.reply.box_pk, mailbox_pk: draft.reply.mailbox_pk };
  return { body, countOnly: false };
}
