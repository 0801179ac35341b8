// BLAKE2b (RFC 7693), unkeyed, for the proof-of-work worker. The page's other hashing
// goes through libsodium; this copy exists so the worker starts without loading
// libsodium's WebAssembly. The vector test checks it against libsodium.
// 64-bit words are held as (low, high) pairs of 32-bit halves.

const iv = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

// Message schedule; each entry is already doubled to index (low, high) pairs.
const sigma = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
].map((row) => row.map((i) => i * 2));

const v = new Uint32Array(32);
const m = new Uint32Array(32);

// v[a] += v[b] + x, as 64-bit words
function add3(a, b, mx) {
  let lo = v[a] + v[b];
  let hi = v[a + 1] + v[b + 1] + (lo >= 0x100000000 ? 1 : 0);
  lo >>>= 0;
  const lo2 = lo + m[mx];
  hi = hi + m[mx + 1] + (lo2 >= 0x100000000 ? 1 : 0);
  v[a] = lo2;
  v[a + 1] = hi;
}

function add2(a, b) {
  const lo = v[a] + v[b];
  v[a + 1] = v[a + 1] + v[b + 1] + (lo >= 0x100000000 ? 1 : 0);
  v[a] = lo;
}

function g(a, b, c, d, x, y) {
  add3(a, b, x);
  // d = rotr64(d ^ a, 32)
  let dl = v[d] ^ v[a];
  let dh = v[d + 1] ^ v[a + 1];
  v[d] = dh;
  v[d + 1] = dl;
  add2(c, d);
  // b = rotr64(b ^ c, 24)
  let bl = v[b] ^ v[c];
  let bh = v[b + 1] ^ v[c + 1];
  v[b] = (bl >>> 24) | (bh << 8);
  v[b + 1] = (bh >>> 24) | (bl << 8);
  add3(a, b, y);
  // d = rotr64(d ^ a, 16)
  dl = v[d] ^ v[a];
  dh = v[d + 1] ^ v[a + 1];
  v[d] = (dl >>> 16) | (dh << 16);
  v[d + 1] = (dh >>> 16) | (dl << 16);
  add2(c, d);
  // b = rotr64(b ^ c, 63), i.e. rotate left by one
  bl = v[b] ^ v[c];
  bh = v[b + 1] ^ v[c + 1];
  v[b] = (bl << 1) | (bh >>> 31);
  v[b + 1] = (bh << 1) | (bl >>> 31);
}

function compress(h, block, offset, counter, last) {
  for (let i = 0; i < 16; i++) {
    v[i] = h[i];
    v[i + 16] = iv[i];
  }
  v[24] ^= counter >>> 0;
  v[25] ^= Math.floor(counter / 0x100000000) >>> 0;
  if (last) {
    v[28] = ~v[28];
    v[29] = ~v[29];
  }
  for (let i = 0; i < 32; i++) {
    const p = offset + i * 4;
    m[i] = block[p] | (block[p + 1] << 8) | (block[p + 2] << 16) | (block[p + 3] << 24);
  }
  for (let r = 0; r < 12; r++) {
    const s = sigma[r % 10];
    g(0, 8, 16, 24, s[0], s[1]);
    g(2, 10, 18, 26, s[2], s[3]);
    g(4, 12, 20, 28, s[4], s[5]);
    g(6, 14, 22, 30, s[6], s[7]);
    g(0, 10, 20, 30, s[8], s[9]);
    g(2, 12, 22, 24, s[10], s[11]);
    g(4, 14, 16, 26, s[12], s[13]);
    g(6, 8, 18, 28, s[14], s[15]);
  }
  for (let i = 0; i < 16; i++) h[i] ^= v[i] ^ v[i + 16];
}

/**
 * BLAKE2b with an output of outLen bytes (1..64), no key.
 * @param {Uint8Array} input @param {number} [outLen] @returns {Uint8Array}
 */
export function blake2b(input, outLen = 32) {
  const h = new Uint32Array(iv);
  h[0] ^= 0x01010000 ^ outLen;
  const blocks = Math.max(1, Math.ceil(input.length / 128));
  const block = new Uint8Array(128);
  for (let b = 0; b < blocks; b++) {
    const start = b * 128;
    const end = Math.min(input.length, start + 128);
    block.fill(0);
    block.set(input.subarray(start, end));
    const lastBlock = b === blocks - 1;
    compress(h, block, 0, lastBlock ? input.length : start + 128, lastBlock);
  }
  const out = new Uint8Array(outLen);
  for (let i = 0; i < outLen; i++) out[i] = h[i >> 2] >>> (8 * (i & 3));
  return out;
}
