// The translators' command (see docs/TRANSLATING.md):
//   node tools/i18n-review.mjs pending                 what awaits review, per language
//   node tools/i18n-review.mjs mark [LANG KEY...]      flag changed source keys everywhere
//                                                      (and KEYs in LANG by hand)
//   node tools/i18n-review.mjs reviewed LANG BY [KEY...]   record a review (all keys when none)
// npm run i18n:pending / i18n:mark / i18n:reviewed run the same. `--dir followup/i18n`
// (anywhere in the arguments) works on another page's own texts instead of web/i18n.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mark, pending, problems, reviewKey, reviewed, texts } from './i18n-review-state.mjs';

const argv = process.argv.slice(2);
const dirAt = argv.indexOf('--dir');
const folder = dirAt >= 0 ? argv.splice(dirAt, 2)[1] : 'i18n';
if (!folder) throw new Error('--dir needs a folder below web/, such as followup/i18n');
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', folder);
const today = new Date().toISOString().slice(0, 10);

function load() {
  const files = {};
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    files[name.slice(0, -5)] = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  }
  return files;
}

// Rewrites only the review record (the file's last member), so the texts keep their
// hand-made layout.
function save(code, dict) {
  const path = join(dir, `${code}.json`);
  const text = readFileSync(path, 'utf8');
  const at = text.indexOf(`"${reviewKey}"`);
  if (at < 0) throw new Error(`${code}.json has no "${reviewKey}" record`);
  const head = text.slice(0, at).replace(/\s*$/, '');
  const record = JSON.stringify(dict[reviewKey], null, 2).replace(/\n/g, '\n  ');
  writeFileSync(path, `${head}\n  "${reviewKey}": ${record}\n}\n`);
}

const [command, ...args] = argv;
const files = load();
if (command === 'pending') {
  let total = 0;
  for (const { code, lastReview, keys } of pending(files)) {
    const count = Object.keys(texts(files[code])).length;
    const since = lastReview ? `last reviewed ${lastReview.day} by ${lastReview.by}` : `never reviewed by a native-speaking peer (all ${count} keys)`;
    console.log(`${code}: ${since}; ${keys.length} marked since`);
    for (const [key, day] of keys) console.log(`  ${key}  (marked ${day})  ${JSON.stringify(files.en[key])}`);
    total += keys.length;
  }
  const wrong = problems(files);
  for (const p of wrong) console.log(`PROBLEM ${p}`);
  console.log(`${total} marks awaiting review`);
  process.exit(wrong.length ? 1 : 0);
} else if (command === 'mark') {
  const [lang, ...keys] = args;
  if (lang && !(lang in files)) throw new Error(`no language ${lang}`);
  const marked = mark(files, today, lang ? { [lang]: keys } : {});
  for (const code of Object.keys(files)) if (files[code][reviewKey]?.source) save(code, files[code]);
  for (const [code, keys] of Object.entries(marked)) console.log(`${code}: marked ${keys.join(', ')}`);
  if (!Object.keys(marked).length) console.log('nothing changed in the source since the last mark');
} else if (command === 'reviewed') {
  const [lang, by, ...keys] = args;
  if (!lang || !(lang in files) || !by) {
    console.error('usage: reviewed LANG "ORGANISATION (role)" [KEY...]');
    process.exit(2);
  }
  const done = reviewed(files, lang, today, by, keys.length ? keys : null);
  save(lang, files[lang]);
  console.log(`${lang}: ${done.length} keys reviewed on ${today} by ${by}`);
} else {
  console.error('usage: i18n-review.mjs pending | mark [LANG KEY...] | reviewed LANG BY [KEY...]');
  process.exit(2);
}
