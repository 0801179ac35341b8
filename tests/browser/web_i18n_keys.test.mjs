// Every language file has every key the page uses, with the same {placeholders} as
// English, and nothing else. The keys the page uses: every literal t('…') in web/src,
// plus the keys it builds from ids (default categories, desks, roles, when, errors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { webDir } from './lib/modules.mjs';

const { languages } = await import(join(webDir, 'src/languages.js'));
const { whenChoices } = await import(join(webDir, 'src/state.js'));
const { rightsKeys } = await import(join(webDir, 'src/steps/help.js'));

const categories = ['physical_violence', 'sexual_violence', 'stealthing', 'robbery', 'non_payment', 'threats',
  'stalking', 'blackmail', 'filming', 'confinement', 'exploitation', 'police_conduct', 'workplace_housing',
  'discrimination', 'health', 'policy', 'other'];
const desks = ['care', 'municipality', 'police'];
const roles = ['sex_worker', 'peer_expert'];

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.js') ? [path] : [];
  });
}

// Literal keys: every quoted 'namespace.name' in the page's code, where namespace is
// one of the translation namespaces (t('a.b'), but also keys handed to helpers).
// "@review" is the translators' review record (web_i18n_review), not a text.
const withoutReview = (dict) => Object.fromEntries(Object.entries(dict).filter(([k]) => !k.startsWith('@')));
const en0 = withoutReview(JSON.parse(readFileSync(join(webDir, 'i18n/en.json'), 'utf8')));
const namespaces = new Set(Object.keys(en0).map((k) => k.split('.')[0]));
const literal = new Set();
// The staff pages' shared code (src/staff/) speaks from their own texts (web_desk, web_stats).
for (const file of sources(join(webDir, 'src')).filter((f) => !f.startsWith(join(webDir, 'src', 'staff')))) {
  for (const m of readFileSync(file, 'utf8').matchAll(/'([a-z_]+)\.([a-z0-9_.]+)'/g)) {
    if (namespaces.has(m[1])) literal.add(`${m[1]}.${m[2]}`);
  }
}
const reviewSource = readFileSync(join(webDir, 'src/steps/review.js'), 'utf8');
const errorCodes = [...reviewSource.match(/knownErrors = new Set\(\[([^\]]*)\]/)[1].matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);

const built = [
  ...categories.map((c) => `category.${c}`),
  ...desks.flatMap((d) => [`desk.${d}.name`, `desk.${d}.about`, `next.${d}`]),
  ...roles.flatMap((r) => [`role.${r}`, `role.${r}.hint`, `role.${r}.short`]),
  ...[...whenChoices, 'none'].map((w) => `when.${w}`),
  ...errorCodes.map((c) => `error.${c}`),
  ...['preparing', 'working', 'posting', 'refreshing'].map((s) => `send.${s}`),
  ...rightsKeys,
];
const used = new Set([...literal, ...built]);

const load = (code) => withoutReview(JSON.parse(readFileSync(join(webDir, 'i18n', `${code}.json`), 'utf8')));
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const en = load('en');

test('the scan found the page\'s keys', () => {
  assert.ok(literal.size > 60, `only ${literal.size} literal keys found`);
  assert.ok(errorCodes.includes('pow_invalid') && errorCodes.includes('network'));
});

test('English has every key the page uses, and no key the page does not use', () => {
  assert.deepEqual([...used].filter((k) => !(k in en)).sort(), []);
  assert.deepEqual(Object.keys(en).filter((k) => !used.has(k)).sort(), []);
});

test('there is one file per language, and no other', () => {
  const files = readdirSync(join(webDir, 'i18n')).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).sort();
  assert.deepEqual(files, languages.map((l) => l.code).sort());
});

for (const { code } of languages) {
  test(`${code}: every key, non-empty, the same placeholders as English`, () => {
    const dict = load(code);
    assert.deepEqual([...used].filter((k) => !(k in dict)).sort(), [], `${code} lacks keys`);
    assert.deepEqual(Object.keys(dict).filter((k) => !(k in en)).sort(), [], `${code} has keys English lacks`);
    for (const [key, value] of Object.entries(dict)) {
      assert.equal(typeof value, 'string', `${code} ${key}`);
      assert.ok(value.trim().length > 0, `${code} ${key} is empty`);
      assert.deepEqual(placeholders(value), placeholders(en[key]), `${code} ${key} placeholders`);
    }
  });
}
