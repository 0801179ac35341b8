// A staff page's texts: its own file per language (desk/i18n/, stats/i18n/), over the
// phone page's (../i18n/), which already names the default desks and categories in every
// language.
import { makeTranslator } from '../i18n.js';
import { pickLanguage } from '../languages.js';

export const deskLanguages = [
  { code: 'en', name: 'English' },
  { code: 'nl', name: 'Nederlands' },
];

const cache = new Map();

async function fetchJson(path) {
  const r = await fetch(path, { cache: 'no-store', credentials: 'omit' });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r.json();
}

async function dictFor(code) {
  if (!cache.has(code)) {
    const pending = Promise.all([fetchJson(`i18n/${code}.json`), fetchJson(`../i18n/${code}.json`).catch(() => ({}))])
      .then(([own, phone]) => ({ ...phone, ...own }));
    pending.catch(() => cache.delete(code));
    cache.set(code, pending);
  }
  return cache.get(code);
}

/** A translator for `code` with English as the fallback. */
export async function loadTexts(code) {
  const [dict, en] = await Promise.all([dictFor(code), dictFor('en')]);
  return makeTranslator(code, dict, en);
}

export function firstLanguage() {
  return pickLanguage(navigator.languages ?? [navigator.language], deskLanguages.map((l) => l.code));
}

/** A protocol or key file error code as a sentence. */
export function errorText(t, code) {
  const key = `error.${code}`;
  return t.has(key) ? t(key) : t('error.other', { code });
}
