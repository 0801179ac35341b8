// The review state each language file keeps under "@review" (stripped from the
// build), and the rules that keep it honest, the way gettext's fuzzy flag does:
// every translation remembers a hash of the source (nl and en) of each key as it last
// followed it; a source text that changed without `mark` leaves a stale hash, which
// the web_i18n_review test refuses. `mark` flags the key in every translation as
// needing review (and records the new hash); `reviewed` clears flags after a review.
import { createHash } from 'node:crypto';

export const reviewKey = '@review';
export const sourceLanguages = ['nl', 'en'];

/** The texts of a language file, without the review record. */
export const texts = (dict) => Object.fromEntries(Object.entries(dict).filter(([k]) => !k.startsWith('@')));

/** A short hash of what a key says in both source languages. */
export function sourceHash(nl, en, key) {
  return createHash('sha256').update(`${nl[key] ?? ''}\u0000${en[key] ?? ''}`).digest('hex').slice(0, 16);
}

/**
 * What is wrong with the review records of `files` ({code: dict}), as sentences; [] when
 * all is in order. Source changes that were not marked come first, by key.
 */
export function problems(files) {
  const out = [];
  const { nl, en } = files;
  const keys = Object.keys(texts(en));
  for (const [code, dict] of Object.entries(files)) {
    const review = dict[reviewKey];
    if (!review || typeof review !== 'object') {
      out.push(`${code}: no "${reviewKey}" record`);
      continue;
    }
    if (typeof review.who_may_review !== 'string' || review.who_may_review.length < 20) out.push(`${code}: "who_may_review" is missing`);
    const last = review.last_review;
    if (last !== null && !(last && /^\d{4}-\d{2}-\d{2}$/.test(last.day) && typeof last.by === 'string' && last.by)) {
      out.push(`${code}: "last_review" must be null or {"day": "YYYY-MM-DD", "by": "…"}`);
    }
    if (sourceLanguages.includes(code)) continue;
    const source = review.source ?? {};
    for (const key of keys) {
      if (source[key] !== sourceHash(nl, en, key)) {
        out.push(`${code}: the source of "${key}" changed without a review mark (run: npm run i18n:mark)`);
      }
    }
    for (const key of Object.keys(source)) if (!keys.includes(key)) out.push(`${code}: "source" names "${key}", which English lacks`);
    for (const [key, day] of Object.entries(review.needs_review ?? {})) {
      if (!keys.includes(key)) out.push(`${code}: "needs_review" names "${key}", which English lacks`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) out.push(`${code}: "needs_review" of "${key}" is not a day`);
    }
  }
  return out;
}

/**
 * Marks every key whose source changed as needing review in every translation, and
 * also `extra` keys in the languages named (a translation fixed without a native
 * reviewer). Returns {code: [keys marked]}; changes `files` in place.
 */
export function mark(files, day, extra = {}) {
  const { nl, en } = files;
  const keys = Object.keys(texts(en));
  const marked = {};
  for (const [code, dict] of Object.entries(files)) {
    if (sourceLanguages.includes(code)) continue;
    const review = dict[reviewKey];
    review.needs_review ??= {};
    const source = {};
    const hit = [];
    for (const key of keys) {
      const hash = sourceHash(nl, en, key);
      if (review.source?.[key] !== hash || extra[code]?.includes(key)) hit.push(key);
      source[key] = hash;
    }
    for (const key of hit) review.needs_review[key] = day;
    for (const key of Object.keys(review.needs_review)) if (!keys.includes(key)) delete review.needs_review[key];
    review.source = source;
    if (hit.length) marked[code] = hit;
  }
  return marked;
}

/** After a review of `code` on `day` by `by`: clears the given keys (all when none given). */
export function reviewed(files, code, day, by, keys = null) {
  const review = files[code][reviewKey];
  const done = keys ?? Object.keys(review.needs_review ?? {});
  for (const key of done) delete review.needs_review?.[key];
  review.last_review = { day, by };
  return done;
}

/** What awaits review, per language: [{code, lastReview, keys: [[key, day]]}]. */
export function pending(files) {
  return Object.entries(files)
    .filter(([code]) => !sourceLanguages.includes(code))
    .map(([code, dict]) => ({
      code,
      lastReview: dict[reviewKey].last_review,
      keys: Object.entries(dict[reviewKey].needs_review ?? {}),
    }));
}
