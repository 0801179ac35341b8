// Translations stay honest over time (docs/TRANSLATING.md): every language file keeps a
// review record; a source text (nl or en) that changed without `npm run i18n:mark`
// fails here, so a changed meaning never goes out silently in another language. The
// rules themselves are checked on an in-memory copy: change, refuse, mark, review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { webDir } from './lib/modules.mjs';

const { languages } = await import(join(webDir, 'src/languages.js'));
const state = await import(join(webDir, 'tools/i18n-review-state.mjs'));
const load = () => Object.fromEntries(languages.map(({ code }) =>
  [code, JSON.parse(readFileSync(join(webDir, 'i18n', `${code}.json`), 'utf8'))]));

test('every language file records who may review it, when it was last reviewed, and what changed since', () => {
  const files = load();
  for (const [code, dict] of Object.entries(files)) {
    const review = dict[state.reviewKey];
    assert.ok(review, `${code} has a review record`);
    assert.match(review.who_may_review, /native speaker .* sex worker or peer expert/, code);
    if (!state.sourceLanguages.includes(code)) assert.equal(typeof review.needs_review, 'object', code);
  }
});

test('no source text changed without marking it for review in every translation', () => {
  assert.deepEqual(state.problems(load()), []);
});

test('the rules: an unmarked source change is refused; mark flags it everywhere; a review clears it', () => {
  const files = structuredClone(load());
  const translations = languages.map((l) => l.code).filter((c) => !state.sourceLanguages.includes(c));
  assert.deepEqual(state.problems(files), []);

  // A change of meaning in English only, and one in Dutch only.
  files.en['help.privacy'] += ' And one sentence more.';
  files.nl['nav.back'] = 'Ga terug';
  const found = state.problems(files);
  for (const code of translations) {
    assert.ok(found.some((p) => p.startsWith(`${code}:`) && p.includes('"help.privacy"')), `${code} help.privacy`);
    assert.ok(found.some((p) => p.startsWith(`${code}:`) && p.includes('"nav.back"')), `${code} nav.back`);
  }
  assert.equal(found.length, translations.length * 2, found.join('\n'));

  const marked = state.mark(files, '2030-01-02', { th: ['done.received'] });
  assert.deepEqual(state.problems(files), []);
  for (const code of translations) {
    const expected = code === 'th' ? ['nav.back', 'done.received', 'help.privacy'] : ['nav.back', 'help.privacy'];
    assert.deepEqual(marked[code].sort(), expected.sort(), code);
    assert.equal(files[code][state.reviewKey].needs_review['help.privacy'], '2030-01-02');
  }
  const pendingTh = state.pending(files).find((p) => p.code === 'th').keys.map(([k]) => k);
  assert.ok(['nav.back', 'done.received', 'help.privacy'].every((k) => pendingTh.includes(k)));

  // Marking again changes nothing; a review of Thai clears Thai only.
  assert.deepEqual(state.mark(files, '2030-01-03'), {});
  state.reviewed(files, 'th', '2030-01-04', 'PROUD (peer expert)', ['help.privacy', 'nav.back', 'done.received']);
  assert.equal(files.th[state.reviewKey].needs_review['help.privacy'], undefined);
  assert.deepEqual(files.th[state.reviewKey].last_review, { day: '2030-01-04', by: 'PROUD (peer expert)' });
  assert.equal(files.es[state.reviewKey].needs_review['help.privacy'], '2030-01-02');
  assert.deepEqual(state.problems(files), []);
});
