// The languages the page is translated into, each with its own name (autonym) for
// the picker. The translations themselves live in web/i18n/<code>.json.
export const languages = [
  { code: 'nl', name: 'Nederlands' },
  { code: 'en', name: 'English' },
  { code: 'ro', name: 'Română' },
  { code: 'bg', name: 'Български' },
  { code: 'pl', name: 'Polski' },
  { code: 'hu', name: 'Magyar' },
  { code: 'es', name: 'Español' },
  { code: 'pt-BR', name: 'Português (Brasil)' },
  { code: 'ru', name: 'Русский' },
  { code: 'th', name: 'ไทย' },
];

export const fallbackLanguage = 'en';

/**
 * The best offered language for the browser's preferences (navigator.languages,
 * which mirrors Accept-Language): an exact tag first, then the same primary language.
 */
export function pickLanguage(preferred, offered) {
  const lower = offered.map((c) => c.toLowerCase());
  for (const tag of preferred ?? []) {
    const i = lower.indexOf(String(tag).toLowerCase());
    if (i >= 0) return offered[i];
  }
  for (const tag of preferred ?? []) {
    const primary = String(tag).toLowerCase().split('-')[0];
    const i = lower.findIndex((c) => c.split('-')[0] === primary);
    if (i >= 0) return offered[i];
  }
  return offered.includes(fallbackLanguage) ? fallbackLanguage : offered[0];
}
