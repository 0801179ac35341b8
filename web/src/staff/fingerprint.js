// A desk key's fingerprint (PROTOCOL.md section 6): the first 15 bytes of
// BLAKE2b-256(public_key) as 24 Crockford base32 characters in six groups of four,
// short enough to compare over the phone with a colleague.
import { crockfordGroups } from '../lib/crockford.js';

export function deskFingerprint(sodium, publicKey) {
  return crockfordGroups(sodium.crypto_generichash(32, publicKey).slice(0, 15));
}

/** key_id = the first 8 bytes of BLAKE2b-256(public_key) (section 3), as raw bytes. */
export function keyIdBytes(sodium, publicKey) {
  return sodium.crypto_generichash(32, publicKey).slice(0, 8);
}
