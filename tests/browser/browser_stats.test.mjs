// The quarterly figures at /stats/ in Chromium against a real signaal-server on loopback,
// with the demo's staff. 30 reports go in through the API (proof of work, section 5
// sealing); the test then sets their days with sqlite3 (received days in 2025-Q4 and
// 2026-Q1, some acknowledged, some withdrawn), as if they had come in then. The server
// freezes the last closed quarter (2026-Q3, empty) when it starts; 2025-Q4 to 2026-Q2
// are past their freeze day, so the first stats request freezes them; 2026-Q4 (today's
// on this machine's clock, 2026-11) is named as not counted yet.
// coordinator-demo's key file, locked here with the page's own lock code, opens; every
// chart's bars and table hold the numbers of the JSON answer, a hidden "<5" cell is
// shown as such and never drawn as a bar, changes appear only between shown counts, the
// CSV download holds the JSON's numbers. A caseworker's key file is refused with a plain
// message. Axe finds no serious violation; nothing is stored in the browser. Screenshots
// (1280×800, a projector at 1920×1080, Dutch, A4 print as PDF-like media) go to
// <build>/artifacts/screenshots.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from './lib/browser.mjs';
import { shoot } from './lib/flow.mjs';
import { startInstance } from './lib/instance.mjs';
import { loadSodium, loadSumoSodium, webDir } from './lib/modules.mjs';
import { audit } from './lib/axe.mjs';

const web = (p) => import(join(webDir, 'src', p));
const { decode, encode } = await web('lib/base64url.js');
const report = await web('lib/report.js');
const pow = await web('lib/pow.js');
const keyfile = await web('staff/keyfile.js');
const sodium = await loadSodium();
const sumo = await loadSumoSodium();

const passphrase = 'Kwartaalcijfers voor het overleg';
let instance;
let lockedPath;
let coordinatorKey;

// The seeded quarters: [category, role, day of receipt, acknowledged after n days (or null), withdrawn].
const day = (iso) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / 86400000);
function plan() {
  const rows = [];
  // 2026-Q1: 20 reports, categories 7/7/6, roles 14/6, 5 withdrawn; care acknowledges 8 within a week, 6 after 10 days.
  for (let i = 0; i < 20; i++) {
    rows.push({
      category: i < 7 ? 'physical_violence' : i < 14 ? 'threats' : 'robbery',
      role: i % 10 < 7 ? 'sex_worker' : 'peer_expert',
      received: day('2026-01-02') + i * 3,
      ack: i < 8 ? 2 : i < 14 ? 10 : null,
      withdrawn: i >= 15,
    });
  }
  // 2025-Q4: 10 reports, categories 5/5, all by sex workers; care acknowledges 6 within a week.
  for (let i = 0; i < 10; i++) {
    rows.push({
      category: i < 5 ? 'physical_violence' : 'threats', role: 'sex_worker',
      received: day('2025-10-02') + i * 7, ack: i < 6 ? 1 : null, withdrawn: false,
    });
  }
  return rows;
}

function sqlite(sql) {
  const run = spawnSync('sqlite3', ['-bail', join(instance.dir, 'signaal.db')], { input: `.timeout 10000\n${sql}`, encoding: 'utf8' });
  assert.equal(run.status, 0, `sqlite3: ${run.stderr}`);
  return run.stdout;
}

/** Posts a report as the phone page would (config, proof of work, section 5 sealing). */
async function postReport(request, config, draft) {
  const { body } = report.buildReport(sodium, config, draft);
  const ticket = await (await request.get(`${instance.baseUrl}api/v1/pow`)).json();
  const nonce = pow.search(decode(ticket.token), ticket.difficulty, 0, 1 << 24);
  assert.ok(nonce, 'proof of work found');
  body.pow = { token: ticket.token, nonce: encode(nonce) };
  const answer = await request.post(`${instance.baseUrl}api/v1/reports`, { data: body });
  assert.equal(answer.status(), 201, await answer.text());
  return (await answer.json()).id;
}

before(async () => {
  instance = await startInstance({ powDifficulty: 8 });
  const v1 = readFileSync(join(instance.dir, 'keys', 'staff-coordinator-demo.json'), 'utf8');
  const opened = keyfile.openStaffKey(sumo, v1);
  assert.ok(opened.ok, `the demo's coordinator key file opens: ${opened.code}`);
  coordinatorKey = opened.key;
  lockedPath = join(instance.dir, 'keys', 'staff-coordinator-demo.locked.json');
  writeFileSync(lockedPath, JSON.stringify(keyfile.lockStaffKey(sumo, coordinatorKey, passphrase)), { mode: 0o600 });
});
after(async () => instance?.stop());

async function seed(request) {
  const config = await (await request.get(`${instance.baseUrl}api/v1/config`)).json();
  const rows = plan();
  const sql = ['BEGIN;'];
  for (const row of rows) {
    const id = await postReport(request, config, {
      lang: 'nl', role: row.role, category: row.category, text: 'Seeded signal for the quarterly figures.', consent: ['care'], writtenAt: '2026-11-28',
    });
    const hex = Buffer.from(decode(id)).toString('hex');
    const no = `(SELECT no FROM reports WHERE id = X'${hex}')`;
    sql.push(`UPDATE reports SET received_day = ${row.received}${row.withdrawn ? `, withdrawn_day = ${row.received + 1}` : ''} WHERE no = ${no};`);
    sql.push(row.ack === null
      ? `UPDATE report_desks SET status_day = ${row.received} WHERE report_no = ${no};`
      : `UPDATE report_desks SET status = 'acknowledged', status_day = ${row.received + row.ack}, ack_day = ${row.received + row.ack} WHERE report_no = ${no};`);
  }
  sql.push('COMMIT;');
  sqlite(sql.join('\n'));
  assert.equal(sqlite(`SELECT count(*) FROM reports WHERE received_day < ${day('2026-04-01')};`).trim(), String(rows.length));
}

/** Every chart against the JSON answer: the table's counts, the bars, the changes. */
async function checkCharts(page, answer) {
  const figures = await page.$$eval('section.quarter', (sections) =>
    sections.map((s) => ({
      quarter: s.dataset.quarter,
      figures: [...s.querySelectorAll('figure.chart-figure')].map((f) => ({
        table: f.dataset.table,
        desk: f.dataset.desk,
        bars: [...f.querySelectorAll('svg rect.bar-shown')].map((r) => r.dataset.cell),
        hiddenBars: [...f.querySelectorAll('svg rect.bar-hidden')].map((r) => r.dataset.cell),
        svgText: f.querySelector('svg').textContent,
        rows: [...f.querySelectorAll('tbody tr')].map((tr) => ({
          cell: tr.dataset.cell,
          count: tr.children[1].firstChild.textContent,
          change: tr.children[2]?.firstChild?.textContent ?? null,
        })),
      })),
    })));
  assert.deepEqual(figures.map((q) => q.quarter), answer.quarters.map((q) => q.quarter), 'a section per frozen quarter');
  let hidden = 0;
  let shown = 0;
  let changes = 0;
  for (const [qi, q] of answer.quarters.entries()) {
    const prev = answer.quarters[qi - 1];
    const tables = [
      ...Object.entries(q.tables).map(([table, cells]) => ({ table, desk: '', cells, before: prev?.tables[table] })),
      ...Object.entries(q.desks).flatMap(([desk, d]) => ['days_to_ack', 'closed'].map((table) => ({ table, desk, cells: d[table], before: prev?.desks[desk]?.[table] }))),
    ];
    assert.equal(figures[qi].figures.length, tables.length, `${q.quarter}: a chart per table`);
    for (const [i, want] of tables.entries()) {
      const got = figures[qi].figures[i];
      const label = `${q.quarter} ${want.desk} ${want.table}`;
      assert.deepEqual([got.table, got.desk], [want.table, want.desk], label);
      const entries = Object.entries(want.cells);
      assert.deepEqual(got.rows.map((r) => r.cell), entries.map(([c]) => c), `${label}: cells in the answer's order`);
      for (const [j, [cell, value]] of entries.entries()) {
        const row = got.rows[j];
        if (typeof value === 'number') {
          shown += 1;
          assert.equal(row.count, String(value), `${label} ${cell}`);
          assert.ok(got.bars.includes(cell), `${label} ${cell}: a bar`);
        } else {
          hidden += 1;
          assert.equal(value, `<${answer.k}`);
          assert.equal(row.count, value, `${label} ${cell}: shown as ${value}`);
          assert.ok(!got.bars.includes(cell) && got.hiddenBars.includes(cell), `${label} ${cell}: never drawn as a bar`);
        }
        if (prev) {
          const before = want.before?.[cell];
          const both = typeof value === 'number' && typeof before === 'number';
          const expected = both ? (value - before > 0 ? `+${value - before}` : value - before < 0 ? `\u2212${before - value}` : '0') : '–';
          assert.equal(row.change, expected, `${label} ${cell}: change from ${prev.quarter}`);
          if (both) changes += 1;
        } else {
          assert.equal(row.change, null, `${label}: no change column without the quarter before`);
        }
      }
      // No number in the drawing stands for a hidden cell.
      const drawnNumbers = [...got.svgText.matchAll(/(?<![<\d])\d+/g)].length;
      assert.ok(drawnNumbers >= entries.filter(([, v]) => typeof v === 'number').length, `${label}: shown counts drawn`);
    }
  }
  return { hidden, shown, changes };
}

test('coordinator: locked key file, frozen quarters as charts and tables, "<5" never drawn, CSV, Dutch, print', async () => {
  const { context, close } = await launch({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
  const origin = new URL(instance.baseUrl).origin;
  const seen = { errors: [], foreign: [], bodies: [] };
  try {
    await seed(context.request);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => seen.errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && seen.errors.push(m.text()));
    page.on('request', (r) => {
      if (new URL(r.url()).origin !== origin) seen.foreign.push(r.url());
      if (r.postData()) seen.bodies.push(r.postData());
    });

    // A caseworker's key file is refused with a plain message, and no figures are shown.
    await page.goto(`${instance.baseUrl}stats/`);
    await page.waitForSelector('main[data-screen="open"] #key-file');
    await audit(page, 'open screen');
    await page.setInputFiles('#key-file', join(instance.dir, 'keys', 'staff-care-demo.json'));
    await page.waitForSelector('#unlocked-warning', { state: 'visible' });
    await page.click('form.open button[type="submit"]');
    await page.waitForFunction(() => document.getElementById('open-error')?.textContent.length > 0, null, { timeout: 30000 });
    assert.equal(await page.textContent('#open-error'), 'These figures are for coordinators only. Caseworkers read their signals in the inbox.');
    assert.equal(await page.getAttribute('main', 'data-screen'), 'open');
    await shoot(page, 'stats-caseworker-refused');

    // The coordinator's locked file opens with its passphrase.
    await page.setInputFiles('#key-file', lockedPath);
    await page.waitForSelector('#passphrase', { state: 'visible' });
    await page.fill('#passphrase', passphrase);
    const answered = page.waitForResponse((r) => r.url().includes('/api/v1/stats?') && !r.url().includes('format=csv'), { timeout: 30000 });
    await page.press('#passphrase', 'Enter');
    await page.waitForSelector('main[data-screen="stats"]', { timeout: 30000 });
    assert.match(await page.textContent('#who'), /coordinator-demo/);
    await answered; // the default range: the four quarters before today's

    // 2025-Q4 to 2026-Q4: four frozen quarters (two of them empty), today's not yet.
    await page.selectOption('#range-from', '2025-Q4');
    await page.selectOption('#range-to', '2026-Q4');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/stats?from=2025-Q4&to=2026-Q4') && !r.url().includes('format=csv')),
      page.click('form.range button[type="submit"]'),
    ]);
    assert.equal(response.status(), 200);
    const answer = await response.json();
    assert.deepEqual(answer.quarters.map((q) => q.quarter), ['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    assert.deepEqual(answer.not_yet, ['2026-Q4']);
    assert.equal(answer.quarters[1].n, 20);
    await page.waitForSelector('section.quarter[data-quarter="2026-Q1"] figure.chart-figure');
    assert.match(await page.textContent('#not-yet'), /2026-Q4/);
    const counted = await checkCharts(page, answer);
    console.log(`charts: ${counted.shown} shown cells, ${counted.hidden} hidden, ${counted.changes} changes`);
    assert.ok(counted.hidden > 0, 'a suppressed cell is on the page');
    assert.ok(counted.shown > 0, 'a counted cell is on the page');
    assert.ok(counted.changes > 0, 'a change from the quarter before is on the page');
    const role = page.locator('section.quarter[data-quarter="2026-Q1"] figure[data-table="role"] tbody tr[data-cell="sex_worker"] td').first();
    assert.equal(await role.textContent(), '14');
    await audit(page, 'figures');
    await shoot(page, 'stats-figures');

    // The CSV download: a Blob link, the same numbers as the JSON.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv-link')]);
    assert.match(await page.getAttribute('#csv-link', 'href'), /^blob:/);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.trimEnd().split('\n');
    assert.equal(lines[0], 'quarter,table,desk,cell,count');
    const fromJson = [];
    for (const q of answer.quarters) {
      fromJson.push(`${q.quarter},n,,all,${q.n}`);
      for (const [table, cells] of Object.entries(q.tables)) for (const [cell, v] of Object.entries(cells)) fromJson.push(`${q.quarter},${table},,${cell},${v}`);
      for (const [desk, d] of Object.entries(q.desks)) {
        fromJson.push(`${q.quarter},routed,${desk},all,${d.routed}`);
        for (const table of ['days_to_ack', 'closed']) for (const [cell, v] of Object.entries(d[table])) fromJson.push(`${q.quarter},${table},${desk},${cell},${v}`);
      }
    }
    assert.deepEqual([...lines.slice(1)].sort(), [...fromJson].sort(), 'the CSV holds the numbers of the JSON');

    // A meeting room's projector, Dutch, and A4 print.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await shoot(page, 'stats-projector');
    await page.selectOption('#lang-picker', 'nl');
    await page.waitForFunction(() => document.documentElement.lang === 'nl');
    await page.click('form.range button[type="submit"]');
    await page.waitForSelector('section.quarter[data-quarter="2026-Q1"] figure.chart-figure');
    assert.match(await page.textContent('h1'), /Kwartaalcijfers/);
    await audit(page, 'figures in Dutch');
    await shoot(page, 'stats-nl');
    await page.selectOption('#lang-picker', 'en');
    await page.click('form.range button[type="submit"]');
    await page.waitForSelector('section.quarter[data-quarter="2026-Q1"] figure.chart-figure');
    await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('form.range'), false, 'the range form is not printed');
    assert.equal(await page.isVisible('#csv-link'), false, 'the download link is not printed');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'A4 width holds the page');
    await shoot(page, 'stats-print-a4');
    await page.emulateMedia({ media: 'screen' });

    const storage = await page.evaluate(async () => ({
      local: window.localStorage.length,
      session: window.sessionStorage.length,
      idb: (await indexedDB.databases()).map((d) => d.name),
      caches: 'caches' in window ? (await caches.keys()).length : 0,
    }));
    assert.deepEqual(storage, { local: 0, session: 0, idb: [], caches: 0 }, 'no web storage');
    assert.deepEqual(await context.cookies(), [], 'no cookies');
    const secrets = [encode(coordinatorKey.signSk), encode(coordinatorKey.signSk.subarray(0, 32)), encode(coordinatorKey.boxSk), passphrase];
    for (const body of seen.bodies) for (const s of secrets) assert.ok(!body.includes(s), 'no secret or passphrase is sent');
    assert.deepEqual(seen.foreign, [], 'no request to another origin');
    assert.deepEqual(seen.errors, [], 'no script or CSP errors');

    // Signing out goes back to the key file screen.
    await page.click('#sign-out');
    await page.waitForSelector('main[data-screen="open"]');
    assert.equal(await page.locator('section.quarter').count(), 0);
  } finally {
    if (seen.errors.length) console.log(`page errors: ${seen.errors.join('\n')}`);
    await close();
  }
});
