// Stepped consent (PROTOCOL.md section 7): the reporter signs a change of who may read her
// report with her mailbox key; every desk client checks each change against the
// `mailbox_pk` sealed inside the report it decrypted (never the served one) before it seals
// the report key to a desk she added. Pure functions; the libsodium instance is handed in,
// so node tests and both pages (the follow-up page, the web inbox) run the same code.
import { encode, decode } from './base64url.js';
import { consentSignedBytes } from './message.js';
import { sortIds } from './report.js';

const deskId = /^[a-z0-9_-]{1,32}$/;

/** A list of distinct desk ids (never `reporter`), sorted bytewise; null when it is not one. */
function idList(value) {
  if (!Array.isArray(value)) return null;
  if (!value.every((id) => typeof id === 'string' && deskId.test(id) && id !== 'reporter')) return null;
  const sorted = sortIds(value);
  return sorted.every((id, i) => i === 0 || sorted[i - 1] !== id) ? sorted : null;
}

const bytes = (value) => (typeof value === 'string' ? decode(value) : value);

/**
 * The body of POST /api/v1/mailbox/consent: {report_id, change, add, remove, signature},
 * the lists sorted bytewise as signed. Throws Error('bad_change') for a change number below
 * 1, a list that is not distinct desk ids, both lists empty, or a desk in both.
 */
export function signConsentChange(sodium, { reportId, change, add = [], remove = [], mailboxSk }) {
  const added = idList(add);
  const removed = idList(remove);
  if (typeof reportId !== 'string' || !Number.isSafeInteger(change) || change < 1 || !added || !removed) throw new Error('bad_change');
  if (added.length + removed.length === 0 || added.some((d) => removed.includes(d))) throw new Error('bad_change');
  const signature = sodium.crypto_sign_detached(consentSignedBytes(reportId, change, added, removed), bytes(mailboxSk));
  return { report_id: reportId, change, add: added, remove: removed, signature: encode(signature) };
}

function signedByHer(sodium, reportId, entry, add, remove, pk) {
  const signature = decode(entry.signature ?? '');
  if (!signature || signature.length !== sodium.crypto_sign_BYTES) return false;
  try {
    return sodium.crypto_sign_verify_detached(signature, consentSignedBytes(reportId, entry.change, add, remove), pk) === true;
  } catch {
    return false;
  }
}

/**
 * Checks the served consent changes of a report (its `consent_changes`, ascending) and
 * replays them. mailboxPk: `reply.mailbox_pk` from inside the decrypted report (bytes or
 * base64url); sealedConsent / sealedDesks: what the report was sealed with (the served
 * `sealed_consent`, `sealed_desks`, which the AD that opened it vouches for).
 * → {ok, consent, readers, verdicts, problems}:
 *   consent   the sealed consent plus every added and minus every removed desk, sorted;
 *   readers   the same replay over the sealed desks: who may read it now (desks ∪ pending);
 *   verdicts  per served change {change, day, add, remove, verdict}, verdict 'verified' or
 *             'bad_signature' (also a malformed entry, which nothing can verify);
 *   problems  [{change, problem}], problem one of 'no_mailbox_key' (change null),
 *             'malformed', 'bad_signature', 'out_of_order' (not 1, 2, 3, …), 'already_reader'
 *             (adds a desk that may already read it), 'not_a_reader' (removes one that
 *             could not), 'no_reader_left'.
 * ok is true only when there is no problem: then every change is her own, in order.
 */
export function verifyConsentChanges(sodium, { reportId, mailboxPk, sealedConsent, sealedDesks, changes }) {
  const pk = mailboxPk ? bytes(mailboxPk) : null;
  const list = Array.isArray(changes) ? changes : [];
  const consent = new Set(idList(sealedConsent) ?? []);
  const readers = new Set(idList(sealedDesks ?? sealedConsent) ?? []);
  const problems = [];
  const verdicts = [];
  if (!pk || pk.length !== sodium.crypto_sign_PUBLICKEYBYTES) {
    if (list.length) problems.push({ change: null, problem: 'no_mailbox_key' });
  }
  list.forEach((entry, i) => {
    const add = idList(entry?.add);
    const remove = idList(entry?.remove);
    const number = entry?.change;
    const day = typeof entry?.day === 'string' ? entry.day : '';
    const wellFormed = add && remove && Number.isSafeInteger(number) && add.length + remove.length > 0 && !add.some((d) => remove.includes(d));
    if (!wellFormed) {
      verdicts.push({ change: Number.isSafeInteger(number) ? number : null, day, add: add ?? [], remove: remove ?? [], verdict: 'bad_signature' });
      problems.push({ change: Number.isSafeInteger(number) ? number : null, problem: 'malformed' });
      return;
    }
    const good = pk?.length === sodium.crypto_sign_PUBLICKEYBYTES && signedByHer(sodium, reportId, entry, add, remove, pk);
    verdicts.push({ change: number, day, add, remove, verdict: good ? 'verified' : 'bad_signature' });
    if (!good) problems.push({ change: number, problem: 'bad_signature' });
    if (number !== i + 1) problems.push({ change: number, problem: 'out_of_order' });
    for (const d of add) {
      if (readers.has(d)) problems.push({ change: number, problem: 'already_reader' });
      readers.add(d);
      consent.add(d);
    }
    for (const d of remove) {
      if (!readers.has(d)) problems.push({ change: number, problem: 'not_a_reader' });
      readers.delete(d);
      consent.delete(d);
    }
    if (readers.size === 0) problems.push({ change: number, problem: 'no_reader_left' });
  });
  return { ok: problems.length === 0, consent: sortIds(consent), readers: sortIds(readers), verdicts, problems };
}

/**
 * The report key K sealed to a desk's current key from /api/v1/config: {key_id, sealed}.
 * Throws Error('bad_key') when the public key is not 32 bytes or its key id does not match
 * it (a broken or tampered config: nothing is sealed).
 */
export function sealReportKeyTo(sodium, key, { key_id: keyId, public_key: publicKey }) {
  const pk = bytes(publicKey);
  if (!pk || pk.length !== sodium.crypto_box_PUBLICKEYBYTES) throw new Error('bad_key');
  if (typeof keyId !== 'string' || encode(sodium.crypto_generichash(32, pk).slice(0, 8)) !== keyId) throw new Error('bad_key');
  if (!(key instanceof Uint8Array) || key.length !== sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES) throw new Error('bad_key');
  return { key_id: keyId, sealed: encode(sodium.crypto_box_seal(key, pk)) };
}

/** The next change number: one more than the highest served, 1 for the first. */
export function nextChange(changes) {
  let highest = 0;
  for (const c of Array.isArray(changes) ? changes : []) if (Number.isSafeInteger(c?.change) && c.change > highest) highest = c.change;
  return highest + 1;
}
