// Stepped consent as a desk client sees it (PROTOCOL.md section 7): the consent changes of
// a report checked against the reporter's mailbox key sealed inside the report, the replay
// compared with what the server says (current consent, desks holding an envelope, pending
// desks), and the body of POST /api/v1/reports/<id>/envelopes, which seals the report key
// to the pending desks' current keys only when every check passed. Pure functions;
// libsodium is handed in.
import { decode } from '../lib/base64url.js';
import { sealReportKeyTo, verifyConsentChanges } from '../lib/consent.js';
import { sortIds } from '../lib/report.js';
import { deskFingerprint } from './fingerprint.js';
import { openReportWithKey } from './open-report.js';
import { sealedReplyKeys } from './report-messages.js';

const list = (value) => (Array.isArray(value) ? value.filter((d) => typeof d === 'string') : []);
const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The consent history of an opened report. view: GET /api/v1/reports/<id>; plain: the
 * decrypted report (its `reply.mailbox_pk` is the only key a change is checked against),
 * or null when it did not open here. → verifyConsentChanges' answer plus:
 *   pending   the served pending desks;
 *   matches   the replay from the sealed consent and desks gives exactly the served
 *             `consent` and `desks ∪ pending`;
 * and the problem 'replay_differs' (change null) when it does not, 'not_opened' when the
 * report did not open here (nothing can be checked then).
 */
export function consentReview(sodium, view, plain) {
  const pending = sortIds(list(view?.pending));
  const changes = Array.isArray(view?.consent_changes) ? view.consent_changes : [];
  if (!plain) {
    return { ok: false, consent: [], readers: [], verdicts: [], pending, matches: false, problems: [{ change: null, problem: 'not_opened' }] };
  }
  const mailboxPk = sealedReplyKeys(plain)?.mailboxPk ?? null;
  const review = verifyConsentChanges(sodium, {
    reportId: view.id, mailboxPk, sealedConsent: list(view.sealed_consent ?? view.consent), sealedDesks: list(view.sealed_desks ?? view.desks), changes,
  });
  const served = sortIds(new Set([...list(view.desks), ...pending]));
  const matches = sameList(review.consent, sortIds(list(view.consent))) && sameList(review.readers, served);
  const problems = matches ? review.problems : [...review.problems, { change: null, problem: 'replay_differs' }];
  return { ...review, pending, matches, problems, ok: problems.length === 0 };
}

/**
 * Verifies first, then seals: the body of POST /api/v1/reports/<id>/envelopes for every
 * pending desk (or only `only`, when given), with the report key this tab opens from its
 * own envelope, sealed to each desk's current key in `config` (/api/v1/config).
 * → {ok: true, body, targets: [{desk, key_id, fingerprint}]} or {ok: false, code, problems}
 * with code 'not_opened' (no envelope of the caller's opens), 'not_verified' (a change does
 * not verify, or the replay differs from what the server says), 'nothing_pending',
 * 'not_pending' (`only` is not pending), 'no_desk_key' (a pending desk has no usable key in
 * the config). Nothing is sealed unless every check passed.
 */
export function buildForward(sodium, { view, deskKeys, config, only = null }) {
  const opened = openReportWithKey(sodium, view, deskKeys);
  if (!opened.ok) return { ok: false, code: 'not_opened', problems: [] };
  try {
    const review = consentReview(sodium, view, opened.plain);
    if (!review.ok) return { ok: false, code: 'not_verified', problems: review.problems };
    if (review.pending.length === 0) return { ok: false, code: 'nothing_pending', problems: [] };
    if (only !== null && !review.pending.includes(only)) return { ok: false, code: 'not_pending', problems: [] };
    const desks = only === null ? review.pending : [only];
    const envelopes = {};
    const targets = [];
    for (const desk of desks) {
      const entry = (config?.desks ?? []).find((d) => d.id === desk);
      let sealed;
      try {
        sealed = entry ? sealReportKeyTo(sodium, opened.key, { key_id: entry.key_id, public_key: entry.public_key }) : null;
      } catch {
        sealed = null;
      }
      if (!sealed) return { ok: false, code: 'no_desk_key', problems: [{ change: null, problem: desk }] };
      envelopes[desk] = sealed;
      targets.push({ desk, key_id: entry.key_id, fingerprint: deskFingerprint(sodium, decode(entry.public_key)) });
    }
    return { ok: true, body: { envelopes }, targets };
  } finally {
    opened.key.fill(0);
  }
}
