// A report's follow-up as a desk client sees it (PROTOCOL.md sections 6 and 7): the reply
// keys the server serves, checked against the `reply` the reporter sealed inside the
// report; every message opened with this tab's desk keys and given a verdict, a reporter
// message only as hers when it is signed by the `mailbox_pk` from inside the report; and
// the body of a desk's reply. Pure functions; libsodium is handed in.
import { decode } from '../lib/base64url.js';
import { nextN, openAsDesk, sealDeskReply, sequenceFlags } from '../lib/message.js';

const keySize = 32;

const sameBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The reply keys inside the decrypted report, as bytes, or null when it has none (or broken ones). */
export function sealedReplyKeys(plain) {
  const reply = plain?.reply;
  if (!reply || typeof reply !== 'object') return null;
  const boxPk = decode(reply.box_pk);
  const mailboxPk = decode(reply.mailbox_pk);
  if (boxPk?.length !== keySize || mailboxPk?.length !== keySize) return null;
  return { boxPk, mailboxPk };
}

/**
 * Compares the served reply keys (`mailbox`, `reply_box_pk`, `reply_mailbox_pk`) with the
 * sealed ones. → {state, sealed} where state is
 *   'none'    no mailbox, and the reporter sealed none: nothing to reply to;
 *   'match'   both served keys equal the sealed ones: replies may go;
 *   'differ'  the server's keys are not what she sealed (changed, added or dropped):
 *             the report is marked and no reply goes;
 *   'unknown' the report did not open here, so nothing can be compared: no reply goes.
 * `sealed` (the keys from inside the report) is what messages are checked against.
 */
export function checkReplyKeys(view, plain) {
  if (!plain) return { state: view?.mailbox ? 'unknown' : 'none', sealed: null };
  const sealed = sealedReplyKeys(plain);
  const sealedAny = plain.reply !== undefined;
  if (view?.mailbox !== true) {
    const served = view?.reply_box_pk !== undefined || view?.reply_mailbox_pk !== undefined;
    return { state: sealedAny || served ? 'differ' : 'none', sealed };
  }
  const boxPk = decode(view.reply_box_pk);
  const mailboxPk = decode(view.reply_mailbox_pk);
  const match = sealed !== null && boxPk !== null && mailboxPk !== null && sameBytes(boxPk, sealed.boxPk) && sameBytes(mailboxPk, sealed.mailboxPk);
  return { state: match ? 'match' : 'differ', sealed };
}

/** {desk: {key_id: secret_key}} of the desk keys this tab has checked. */
export function deskSecretsOf(deskKeys) {
  const out = {};
  for (const k of deskKeys) (out[k.desk] ??= {})[k.keyId] = k.secretKey;
  return out;
}

/**
 * Opens the served messages, in the order served: the stored order, oldest first.
 * Each → {id, day, sender, status, text, lang, n, verdict, flag}:
 *   verdict 'verified'   a reporter message signed by the sealed mailbox_pk;
 *           'rejected'   a message named as hers whose signature does not verify (or a report
 *                        without sealed reply keys, against which nothing verifies): never hers;
 *           'desk'       a desk's reply (its colleagues cannot check who wrote it);
 *           'unreadable' it does not open with this tab's desk keys.
 *   flag    null, 'repeat' or 'replay': n seen before from that sender, or lower than one seen.
 * Only messages that opened and passed count for the flags, so a forged one cannot make
 * the reporter's next real message look like a replay.
 */
export function openMessages(sodium, messages, { deskKeys, sealed }) {
  const list = Array.isArray(messages) ? messages : [];
  const deskSecrets = deskSecretsOf(deskKeys);
  const opened = list.map((m) => {
    let result;
    try {
      result = openAsDesk(sodium, m, { deskSecrets, mailboxPk: sealed?.mailboxPk });
    } catch {
      result = { status: 'unreadable' };
    }
    const sender = typeof m?.sender === 'string' ? m.sender : '';
    let verdict = 'unreadable';
    if (result.status === 'bad_signature') verdict = 'rejected';
    else if (result.status === 'ok') verdict = sender === 'reporter' ? 'verified' : sender.startsWith('desk:') ? 'desk' : 'unreadable';
    // A reporter message passes only against the keys sealed inside the report.
    if (verdict === 'verified' && !sealed) verdict = 'rejected';
    const readable = verdict === 'verified' || verdict === 'desk';
    return {
      id: typeof m?.id === 'string' ? m.id : null,
      day: typeof m?.day === 'string' ? m.day : '',
      sender,
      status: result.status,
      text: readable && typeof result.text === 'string' ? result.text : null,
      lang: readable && typeof result.lang === 'string' ? result.lang : null,
      n: readable && Number.isSafeInteger(result.n) ? result.n : null,
      verdict,
      flag: null,
    };
  });
  const trusted = opened.filter((m) => (m.verdict === 'verified' || m.verdict === 'desk') && m.n !== null);
  const flags = sequenceFlags(trusted);
  trusted.forEach((m, i) => {
    m.flag = flags[i] ?? null;
  });
  return opened;
}

/** The caller's desks that may answer: theirs among the report's desks. */
export function replyDesks(view, myDesks) {
  const desks = new Set(Array.isArray(view?.desks) ? view.desks : []);
  return myDesks.filter((d) => desks.has(d));
}

/**
 * The body of POST /api/v1/reports/<id>/messages for a reply as `desk`, sealed with that
 * desk's current key, to the box key sealed inside the report, numbered after every
 * message of `desk:<desk>` seen. → {ok, body, n} or {ok: false, code} with code
 * 'keys_differ' (or no checked keys), 'no_current_key', 'empty', 'too_long', 'bad_key'.
 */
export function buildDeskReply(sodium, { view, check, desk, currentKeyId, deskKeys, opened, text, lang, buckets }) {
  if (check?.state !== 'match' || !check.sealed) return { ok: false, code: 'keys_differ' };
  const key = deskKeys.find((k) => k.desk === desk && k.keyId === currentKeyId);
  if (!key) return { ok: false, code: 'no_current_key' };
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, code: 'empty' };
  const n = nextN(opened.filter((m) => m.n !== null), `desk:${desk}`);
  let body;
  try {
    body = sealDeskReply(sodium, {
      reportId: view.id,
      desk,
      deskKey: { key_id: key.keyId, public_key: key.publicKey, secret_key: key.secretKey },
      reporterBoxPk: check.sealed.boxPk,
      text,
      lang,
      n,
      buckets,
    });
  } catch (e) {
    return { ok: false, code: e?.message === 'too_long' ? 'too_long' : 'bad_key' };
  }
  return { ok: true, body, n };
}
