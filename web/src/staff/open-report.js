// Opening a report in the browser (PROTOCOL.md sections 5 and 6): the desk's envelope
// with a desk key this page has checked, then the AEAD with the AD rebuilt from the
// consent and desks as sealed (not as they are now, after any stepped consent).
import { decode } from '../lib/base64url.js';
import { reportAd, unpad } from '../lib/report.js';

const utf8 = new TextEncoder();

/**
 * report: GET /api/v1/reports/<id>; deskKeys: accepted keys ({desk, keyId, publicKey, secretKey}).
 * → {ok, desk, plain (the decrypted JSON object)} or {ok: false, code} with code
 * 'count_only', 'no_key' (no envelope for a key held here) or 'cannot_open'.
 */
export function openReport(sodium, report, deskKeys) {
  const opened = openReportWithKey(sodium, report, deskKeys);
  if (!opened.ok) return opened;
  opened.key.fill(0);
  return { ok: true, desk: opened.desk, plain: opened.plain };
}

/**
 * As openReport, and also the report key K that opened it ({ok, desk, plain, key}), for
 * sealing it to a desk the reporter added (stepped consent). The caller wipes `key`.
 */
export function openReportWithKey(sodium, report, deskKeys) {
  if (!report?.ciphertext || !report.envelopes) return { ok: false, code: 'count_only' };
  const nonce = decode(report.nonce);
  const ciphertext = decode(report.ciphertext);
  if (!nonce || !ciphertext) return { ok: false, code: 'cannot_open' };
  const ad = utf8.encode(reportAd(report.role, report.category, report.sealed_consent ?? report.consent, report.sealed_desks ?? report.desks));
  let tried = false;
  for (const [desk, envelope] of Object.entries(report.envelopes)) {
    const key = deskKeys.find((k) => k.desk === desk && k.keyId === envelope?.key_id);
    const sealed = decode(envelope?.sealed);
    if (!key || !sealed) continue;
    tried = true;
    let reportKey = null;
    try {
      reportKey = sodium.crypto_box_seal_open(sealed, key.publicKey, key.secretKey);
      const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, reportKey);
      const plain = unpad(padded);
      padded.fill(0);
      if (plain === null) continue;
      const parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain));
      plain.fill(0);
      if (parsed && typeof parsed === 'object') {
        const opened = { ok: true, desk, plain: parsed, key: reportKey };
        reportKey = null; // handed to the caller, who wipes it
        return opened;
      }
    } catch {
      // this envelope does not open with this key: try the next desk's
    } finally {
      reportKey?.fill(0);
    }
  }
  return { ok: false, code: tried ? 'cannot_open' : 'no_key' };
}
