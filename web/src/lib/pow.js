// Proof of work (PROTOCOL.md section 4): find an 8-byte nonce such that
// BLAKE2b-256(token || nonce) starts with at least `difficulty` zero bits.
import { blake2b } from './blake2b.js';

/** Leading zero bits of a hash, most significant bit of the first byte first. */
export function leadingZeroBits(hash) {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** The nonce for a counter: 8 bytes, big-endian, as the protocol vectors count. */
export function nonceFor(counter) {
  const nonce = new Uint8Array(8);
  const high = Math.floor(counter / 0x100000000);
  const low = counter >>> 0;
  nonce[0] = high >>> 24;
  nonce[1] = high >>> 16;
  nonce[2] = high >>> 8;
  nonce[3] = high;
  nonce[4] = low >>> 24;
  nonce[5] = low >>> 16;
  nonce[6] = low >>> 8;
  nonce[7] = low;
  return nonce;
}

/** True when token || nonce meets the difficulty. */
export function meets(token, nonce, difficulty) {
  const input = new Uint8Array(token.length + 8);
  input.set(token);
  input.set(nonce, token.length);
  return leadingZeroBits(blake2b(input, 32)) >= difficulty;
}

/**
 * Searches counters from `start`, `count` at most. Returns the nonce found, or null.
 * The caller slices the search so it can report progress between slices.
 */
export function search(token, difficulty, start, count) {
  const input = new Uint8Array(token.length + 8);
  input.set(token);
  for (let c = start; c < start + count; c++) {
    input.set(nonceFor(c), token.length);
    if (leadingZeroBits(blake2b(input, 32)) >= difficulty) return input.slice(token.length);
  }
  return null;
}
