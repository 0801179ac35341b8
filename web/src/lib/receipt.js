// Receipt codes (PROTOCOL.md section 7): 10 random bytes shown as 16 characters of
// Crockford base32 in groups of four, read back forgivingly, and the mailbox keys
// derived from them. Pure functions; key derivation takes a libsodium instance.

import { encode } from './base64url.js';
import { crockfordAlphabet as alphabet, crockfordGroups } from './crockford.js';

const receiptBytes = 10;
const receiptChars = 16;
const separators = /[-\t\n\r \u00a0]/g; // '-' and white space: tab, line ends, space, U+00A0
const lookAlikes = { O: '0', I: '1', L: '1' };

/** The 16 characters a receipt text stands for, or null: drops '-' and white space,
 * upper-cases ASCII, reads O as 0 and I, L as 1, then needs exactly 16 of the alphabet. */
export function normalizeReceipt(text) {
  if (typeof text !== 'string') return null;
  let out = '';
  for (const ch of text.replace(separators, '')) {
    const upper = ch >= 'a' && ch <= 'z' ? ch.toUpperCase() : ch;
    const c = lookAlikes[upper] ?? upper;
    if (c.length !== 1 || !alphabet.includes(c)) return null;
    out += c;
  }
  return out.length === receiptChars ? out : null;
}

/** The receipt's 10 bytes from a typed text, or null when it is not a receipt. */
export function parseReceipt(text) {
  const chars = normalizeReceipt(text);
  if (chars === null) return null;
  const out = new Uint8Array(receiptBytes);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const c of chars) {
    acc = ((acc << 5) | alphabet.indexOf(c)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** "K7QM-2XDA-9FRT-WB3N" for 10 bytes, most significant bits first. */
export function formatReceipt(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== receiptBytes) throw new TypeError('a receipt is 10 bytes');
  return crockfordGroups(bytes);
}

/** The reply keys of a receipt: { box: {publicKey, privateKey}, mailbox: {publicKey, privateKey} }. */
export function receiptKeys(sodium, receipt) {
  const prefix = new TextEncoder().encode('signaal/receipt/v1');
  const input = new Uint8Array(prefix.length + receipt.length);
  input.set(prefix);
  input.set(receipt, prefix.length);
  const seed = sodium.crypto_generichash(32, input);
  const boxSeed = sodium.crypto_generichash(32, new TextEncoder().encode('box'), seed);
  const signSeed = sodium.crypto_generichash(32, new TextEncoder().encode('sign'), seed);
  const keys = { box: sodium.crypto_box_seed_keypair(boxSeed), mailbox: sodium.crypto_sign_seed_keypair(signSeed) };
  for (const secret of [input, seed, boxSeed, signSeed]) secret.fill(0);
  return keys;
}

/**
 * A new receipt for one report (section 7: never shared between reports): its code as
 * shown, and the public reply keys the report carries ({box_pk, mailbox_pk}, base64url).
 * The random bytes and the secret keys are wiped; only the code can bring them back.
 */
export function newReceipt(sodium) {
  const bytes = sodium.randombytes_buf(receiptBytes);
  const keys = receiptKeys(sodium, bytes);
  const receipt = {
    code: formatReceipt(bytes),
    reply: { box_pk: encode(keys.box.publicKey), mailbox_pk: encode(keys.mailbox.publicKey) },
  };
  for (const secret of [bytes, keys.box.privateKey, keys.mailbox.privateKey]) secret.fill(0);
  return receipt;
}
