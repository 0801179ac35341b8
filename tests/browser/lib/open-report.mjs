// Opens a report body as a desk would, written independently of the page's code:
// the envelope with the desk's secret key, then the AEAD with the section 5 AD.
import { loadSodium } from './modules.mjs';

const sodium = await loadSodium();
const V = sodium.base64_variants.URLSAFE_NO_PADDING;
const b = (s) => sodium.from_base64(s, V);

/** The plaintext object, or throws when the desk cannot open it. */
export function openReport(body, deskKey) {
  const envelope = body.sealed?.envelopes?.[deskKey.desk];
  if (!envelope) throw new Error(`no envelope for ${deskKey.desk}`);
  const key = sodium.crypto_box_seal_open(b(envelope.sealed), b(deskKey.public_key), b(deskKey.secret_key));
  const ad = ['signaal/report/v1', body.role, body.category, [...body.consent].sort().join(','), body.desks.join(',')].join('\n');
  const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, b(body.sealed.ciphertext), new TextEncoder().encode(ad), b(body.sealed.nonce), key);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 0x80) throw new Error('bad padding');
  return JSON.parse(new TextDecoder().decode(padded.subarray(0, end)));
}

/** True when this desk key opens any envelope of the report. */
export function anyEnvelopeOpens(body, deskKey) {
  for (const env of Object.values(body.sealed?.envelopes ?? {})) {
    try {
      sodium.crypto_box_seal_open(b(env.sealed), b(deskKey.public_key), b(deskKey.secret_key));
      return true;
    } catch {
      // not this one
    }
  }
  return false;
}
