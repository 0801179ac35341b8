// Translations: one JSON file per language, loaded on demand; a missing string falls
// back to English, then to the key itself (so a gap is visible, never blank).
const cache = new Map();

async function loadDict(code) {
  if (!cache.has(code)) {
    const pending = fetch(`i18n/${code}.json`, { cache: 'no-store', credentials: 'omit' })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`i18n ${code}: ${r.status}`))))
      .catch((e) => {
        cache.delete(code);
        throw e;
      });
    cache.set(code, pending);
  }
  return cache.get(code);
}

/** Loads `code` (and English) and returns a translator for it. */
export async function loadTranslator(code) {
  const [dict, en] = await Promise.all([loadDict(code), loadDict('en')]);
  return makeTranslator(code, dict, en);
}

export function makeTranslator(code, dict, en) {
  /** t('step.progress', {n: 2}) */
  const t = (key, vars) => {
    let s = dict[key] ?? en[key] ?? key;
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
    return s;
  };
  t.lang = code;
  /** The text in this language only (no English fallback), or undefined. */
  t.own = (key) => dict[key];
  t.has = (key) => key in dict || key in en;
  return t;
}
