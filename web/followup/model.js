// The follow-up page's pure parts (PROTOCOL.md section 7), without the DOM or the
// network: reading a typed receipt, the desks' keys from the config, the status lines,
// and what each served message is shown as. web_followup.test.mjs holds them.
import { decode } from '../src/lib/base64url.js';
import { parseReceipt } from '../src/lib/receipt.js';

/** The receipt's 10 bytes from whatever she typed, or null when it is not a receipt. */
export const readReceipt = (text) => parseReceipt(text);

export const deskStatuses = ['new', 'acknowledged', 'in_progress', 'closed'];

/** The text key of a desk's status; an unknown status says "no news", never a guess. */
export function statusKey(status) {
  return deskStatuses.includes(status) ? `followup.status.${status}` : 'followup.status.unknown';
}

const idsOf = (value) => (Array.isArray(value) ? value.filter((d) => typeof d === 'string') : []);

/**
 * What she may change of who reads her report (PROTOCOL.md section 7, stepped consent):
 *   add     the desks the category routes to, known to the config, that neither hold the
 *           report nor wait for it (in the config's order);
 *   remove  the desks that hold it (while another one still does) and those waiting for it;
 *   only    the one desk that holds it when there is just one (it cannot be removed: at
 *           least one desk must keep the report), else null.
 */
export function consentChoices(config, report) {
  const desks = idsOf(report?.desks);
  const pending = idsOf(report?.pending).filter((d) => !desks.includes(d));
  const routed = new Set(idsOf(config?.routing?.[report?.category]));
  const add = (config?.desks ?? []).map((d) => d.id).filter((d) => routed.has(d) && !desks.includes(d) && !pending.includes(d));
  return { add, remove: [...(desks.length > 1 ? desks : []), ...pending], only: desks.length === 1 ? desks[0] : null };
}

/** One line per desk of the report: those that hold it, then those waiting for it. */
export function statusRows(report) {
  const desks = Array.isArray(report?.desks) ? report.desks : [];
  const pending = Array.isArray(report?.pending) ? report.pending : [];
  return [
    ...desks.map((desk) => ({ desk, key: statusKey(report.status?.[desk]) })),
    ...pending.filter((d) => !desks.includes(d)).map((desk) => ({ desk, key: 'followup.status.pending' })),
  ];
}

const publicKeyOf = (entry) => {
  const bytes = typeof entry?.public_key === 'string' ? decode(entry.public_key) : null;
  const id = typeof entry?.key_id === 'string' ? decode(entry.key_id) : null;
  return bytes?.length === 32 && id?.length === 8 ? bytes : null;
};

/**
 * Every desk key a reply may be boxed under, current and retained ("previous_keys"),
 * as openAsReporter wants them: {key_id: {desk, public_key: Uint8Array}}. A key id that
 * two desks claim is left out, so a reply under it is never shown as either's.
 */
export function deskPublicKeys(config) {
  const out = {};
  const claimed = new Map();
  for (const desk of config?.desks ?? []) {
    for (const entry of [desk, ...(Array.isArray(desk.previous_keys) ? desk.previous_keys : [])]) {
      const publicKey = publicKeyOf(entry);
      if (!publicKey) continue;
      const owner = claimed.get(entry.key_id);
      if (owner !== undefined && owner !== desk.id) {
        delete out[entry.key_id];
        claimed.set(entry.key_id, null);
        continue;
      }
      if (owner === null) continue;
      claimed.set(entry.key_id, desk.id);
      out[entry.key_id] = { desk: desk.id, public_key: publicKey };
    }
  }
  return out;
}

/** The current keys of `desks` for sealing a message: {desk: {key_id, public_key}} (b64). */
export function deskKeysFor(config, desks) {
  const out = {};
  for (const id of desks) {
    const desk = (config?.desks ?? []).find((d) => d.id === id);
    if (desk && publicKeyOf(desk)) out[id] = { key_id: desk.key_id, public_key: desk.public_key };
  }
  return out;
}

/** The desks she may write to: those that hold the report and whose key the config lists. */
export function writableDesks(config, report) {
  const desks = Array.isArray(report?.desks) ? report.desks : [];
  return desks.filter((d) => Object.keys(deskKeysFor(config, [d])).length === 1);
}

const langTag = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}$/;

/**
 * What each served message is shown as, in the order served:
 *  {kind: 'desk', desk, day, text, lang, flag} a reply whose reporter envelope opened
 *     under that desk's key;
 *  {kind: 'own', to: [desk…], day, text, lang, flag} her own, signed by her mailbox key;
 *  {kind: 'unchecked', day} a "desk" reply that did not open under that desk's key:
 *     never named after the desk, its text never shown;
 *  {kind: 'unreadable', day} anything else that did not open.
 * `opened[i]` is openAsReporter's answer for `served[i]`, `flags[i]` sequenceFlags' one.
 */
export function messageItems(served, opened, flags) {
  return served.map((message, i) => {
    const o = opened[i] ?? { status: 'unreadable' };
    const day = typeof message?.day === 'string' ? message.day : '';
    if (o.status === 'unchecked') return { kind: 'unchecked', day };
    if (o.status !== 'ok' || typeof o.text !== 'string') return { kind: 'unreadable', day };
    const base = { day, text: o.text, lang: langTag.test(o.lang ?? '') ? o.lang : null, flag: flags?.[i] ?? null };
    if (o.sender === 'reporter' && message.sender === 'reporter') {
      const to = (Array.isArray(message.recipients) ? message.recipients : []).filter((r) => r !== 'reporter');
      return { kind: 'own', to, ...base };
    }
    if (typeof o.sender === 'string' && o.sender.startsWith('desk:') && o.sender === message.sender) {
      return { kind: 'desk', desk: o.sender.slice(5), ...base };
    }
    return { kind: 'unreadable', day };
  });
}

/** The bytes of the plaintext a message would have (section 7), to stop a text too long. */
export function messageBytes(text, lang, n) {
  return new TextEncoder().encode(JSON.stringify({ v: 1, lang, text, n })).length;
}

/** Does a message of this text fit the largest padding bucket? */
export function messageFits(text, lang, n, buckets) {
  const largest = Math.max(0, ...(Array.isArray(buckets) ? buckets : []));
  return messageBytes(text, lang, n) + 1 <= largest;
}

/** Zeroes every secret byte array of the receipt keys (receiptKeys' answer). */
export function wipeKeys(keys) {
  if (!keys) return;
  for (const pair of [keys.box, keys.mailbox]) {
    if (pair?.privateKey instanceof Uint8Array) pair.privateKey.fill(0);
  }
}
