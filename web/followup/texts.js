// The follow-up page's texts: its own file per language (followup/i18n/), over the
// phone page's (../i18n/), which already names the default desks and categories and
// the quick-exit button in every language. English is the fallback.
import { makeTranslator } from '../src/i18n.js';

const cache = new Map();

async function fetchJson(path) {
  const r = await fetch(path, { cache: 'no-store', credentials: 'omit' });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r.json();
}

function dictFor(code) {
  if (!cache.has(code)) {
    const pending = Promise.all([fetchJson(`i18n/${code}.json`), fetchJson(`../i18n/${code}.json`)])
      .then(([own, phone]) => ({ ...phone, ...own }));
    pending.catch(() => cache.delete(code));
    cache.set(code, pending);
  }
  return cache.get(code);
}

/** A translator for `code`, with English as the fallback. */
export async function loadTexts(code) {
  const [dict, en] = await Promise.all([dictFor(code), dictFor('en')]);
  return makeTranslator(code, dict, en);
}
