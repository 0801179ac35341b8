// Crockford base32 (0-9, A-Z without I, L, O, U), most significant bits first, in
// groups of four: the form people read aloud, used by receipts (PROTOCOL.md section 7)
// and desk key fingerprints (section 6).

export const crockfordAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** "K7QM-2XDA-…" for bytes whose bit count is a multiple of 5 (10 bytes, 15 bytes). */
export function crockfordGroups(bytes) {
  if (!(bytes instanceof Uint8Array) || (bytes.length * 8) % 5 !== 0) throw new TypeError('a whole number of 5-bit characters');
  let out = '';
  let acc = 0;
  let bits = 0;
  let written = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      if (written !== 0 && written % 4 === 0) out += '-';
      out += crockfordAlphabet[(acc >> bits) & 31];
      written++;
    }
  }
  return out;
}
