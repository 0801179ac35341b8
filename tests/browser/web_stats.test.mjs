// The figures dashboard's own logic (web/stats/), without a browser: its texts (English
// and Dutch have the same keys and placeholders; every key its code and the shared open
// screen use exists), quarter arithmetic, and the change between quarters, which is
// never computed across a hidden "<k" cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { webDir } from './lib/modules.mjs';

const statsDir = join(webDir, 'stats');
const model = await import(join(statsDir, 'model.js'));
const load = (path) => JSON.parse(readFileSync(path, 'utf8'));
const en = load(join(statsDir, 'i18n/en.json'));
const nl = load(join(statsDir, 'i18n/nl.json'));

test('English and Dutch have the same keys and placeholders', () => {
  assert.deepEqual(Object.keys(nl).sort(), Object.keys(en).sort());
  const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(en)) assert.deepEqual(placeholders(nl[key]), placeholders(en[key]), key);
});

test('every text key the dashboard and its open screen use exists', () => {
  const files = [...readdirSync(statsDir).filter((n) => n.endsWith('.js')).map((n) => join(statsDir, n)), ...['open-view.js', 'page-shell.js'].map((n) => join(webDir, 'src/staff', n))];
  const namespaces = new Set(Object.keys(en).map((k) => k.split('.')[0]));
  const used = new Set();
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/'([a-z_]+)\.([a-z0-9_.]+)'/g)) if (namespaces.has(m[1])) used.add(`${m[1]}.${m[2]}`);
  }
  // Built from ids: the tables' titles, the fixed cells (PROTOCOL.md section 8), the refusal.
  for (const table of ['category', 'role', 'kind', 'withdrawn', 'days_to_ack', 'closed']) used.add(`table.${table}`);
  for (const [table, cells] of Object.entries({ kind: ['count_only', 'with_text'], withdrawn: ['withdrawn', 'kept'], days_to_ack: ['0-7', '8-30', '31+', 'never'], closed: ['yes', 'no'] })) {
    for (const cell of cells) used.add(`cell.${table}.${cell}`);
  }
  used.add('error.caseworker');
  assert.ok(used.size > 30, 'the scan found the keys');
  for (const key of used) assert.ok(key in en, `missing text: ${key}`);
});

test('quarters: names, order, the picker and the default range', () => {
  assert.equal(model.quarterOf(new Date(Date.UTC(2026, 10, 29))), '2026-Q4');
  assert.equal(model.quarterOf(new Date(Date.UTC(2026, 2, 31, 23, 59))), '2026-Q1');
  assert.equal(model.quarterIndex('2026-Q5'), null);
  assert.equal(model.quarterIndex('26-Q1'), null);
  assert.equal(model.shiftQuarter('2026-Q1', -1), '2025-Q4');
  assert.equal(model.shiftQuarter('2025-Q4', 1), '2026-Q1');
  assert.deepEqual(model.defaultRange(new Date(Date.UTC(2026, 10, 29))), { from: '2025-Q4', to: '2026-Q3' });
  const choices = model.quarterChoices(new Date(Date.UTC(2026, 10, 29)), 1);
  assert.deepEqual([choices[0], choices.at(-1), choices.length], ['2025-Q1', '2026-Q4', 8]);
});

test('a change exists only where both counts are shown', () => {
  assert.equal(model.change(5, 7), 2);
  assert.equal(model.change(7, 7), 0);
  assert.equal(model.change('<5', 7), null);
  assert.equal(model.change(7, '<5'), null);
  assert.equal(model.change(undefined, 7), null, 'a cell the quarter before did not have');
  assert.equal(model.formatChange(2, 'en'), '+2');
  assert.equal(model.formatChange(-3, 'en'), '\u22123');
  assert.equal(model.formatChange(0, 'en'), '0');
  assert.equal(model.formatChange(null, 'en'), null);
});

test('charts of a quarter: the answer\'s tables in order, compared with the calendar quarter before only', () => {
  const q2 = { quarter: '2026-Q2', n: 10, tables: { role: { peer_expert: '<5', sex_worker: '<5' } }, desks: { care: { routed: 10, days_to_ack: { '0-7': 6, never: '<5' }, closed: { yes: '<5', no: 8 } } } };
  const q3 = { quarter: '2026-Q3', n: 20, tables: { role: { peer_expert: 6, sex_worker: 14 } }, desks: { care: { routed: 20, days_to_ack: { '0-7': 8, never: 6 }, closed: { yes: '<5', no: 17 } } } };
  const q1 = { quarter: '2026-Q1', n: '<5', tables: { role: { peer_expert: '<5', sex_worker: '<5' } }, desks: {} };
  const answer = { k: 5, quarters: [q1, q3], not_yet: [] };
  assert.equal(model.previousOf(answer, q3), null, 'Q1 is not the quarter before Q3');
  const both = { k: 5, quarters: [q2, q3], not_yet: [] };
  const charts = model.chartsOf(both, q3);
  assert.deepEqual(charts.map((c) => [c.desk, c.table, c.population]), [[null, 'role', 20], ['care', 'days_to_ack', 20], ['care', 'closed', 20]]);
  const changes = charts.map((c) => c.cells.map(([cell, v]) => model.change(c.before[cell], v)));
  assert.deepEqual(changes, [[null, null], [2, null], [null, 9]]);
  assert.equal(model.kOf(both, { ...q3, k: 7 }), 7);
  assert.equal(model.kOf(both, q3), 5);
});
