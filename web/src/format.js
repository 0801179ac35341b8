// Dates and lists the way readers of each language expect them, through the browser's
// own Intl data (nothing shipped): "29 de noviembre de 2026", "29 พฤศจิกายน 2569",
// "A, B y C". Where Intl is missing, a plain fallback that is still correct.

// The tag Intl gets for a page language. English readers here live in Europe: day
// before month. Thai readers count years in the Buddhist era, whatever the engine's
// default calendar for "th" is.
const intlTags = { en: 'en-GB', th: 'th-TH-u-ca-buddhist' };
const intlTag = (lang) => intlTags[lang] ?? lang;

/** A UTC day "YYYY-MM-DD" as a long date in `lang`, in the UTC zone (the server's day). */
export function formatDay(day, lang) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(day));
  if (!m) return String(day);
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  try {
    return new Intl.DateTimeFormat(intlTag(lang), { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  } catch {
    return String(day);
  }
}

/** Names joined with the language's own "and": "A, B and C" / "A, B y C". */
export function listNames(names, t) {
  if (names.length <= 1) return names.join('');
  try {
    return new Intl.ListFormat(intlTag(t.lang), { style: 'long', type: 'conjunction' }).format(names);
  } catch {
    return t('list.and', { first: names.slice(0, -1).join(', '), last: names[names.length - 1] });
  }
}
