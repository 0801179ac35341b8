// Reading the instance configuration (PROTOCOL.md section 3) in the reporter's language.
import { languages } from './languages.js';

/** The languages both the instance and this page offer, in the page's order. */
export function offeredLanguages(config) {
  const listed = config?.instance?.languages;
  const ours = languages.map((l) => l.code);
  if (!Array.isArray(listed) || listed.length === 0) return ours;
  const wanted = new Set(listed.map((c) => String(c).toLowerCase()));
  const both = ours.filter((c) => wanted.has(c.toLowerCase()));
  return both.length ? both : ours;
}

/**
 * A text of a desk or category: the config's text in the chosen language, else the
 * page's own translation of a well-known id, else the config's English, else the id.
 */
function text(map, t, key, fallback) {
  const lang = t.lang;
  if (map && typeof map[lang] === 'string') return map[lang];
  const own = t.own(key);
  if (own !== undefined) return own;
  if (map && typeof map.en === 'string') return map.en;
  const ours = t(key);
  return ours === key ? fallback : ours;
}

export const deskName = (desk, t) => text(desk.name, t, `desk.${desk.id}.name`, desk.id);
export const deskAbout = (desk, t) => text(desk.about, t, `desk.${desk.id}.about`, '');
export const categoryName = (category, t) => text(category.name, t, `category.${category.id}`, category.id);

export function helpAbout(entry, t) {
  const about = entry.about ?? {};
  return about[t.lang] ?? about.en ?? Object.values(about)[0] ?? '';
}

export const deskById = (config, id) => config.desks.find((d) => d.id === id);
export const categoryById = (config, id) => config.categories.find((c) => c.id === id);
