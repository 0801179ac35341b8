// Lighthouse (mobile profile) against the real server on loopback, with Debian's
// Chromium: accessibility >= 95, best practices >= 95, performance >= 90; the first
// load, as transferred (compressed), at most 400 KB. Prints the scores and the size.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumArgs, chromiumPath } from './lib/browser.mjs';
import { screenshotDir } from './lib/flow.mjs';
import { startInstance } from './lib/instance.mjs';
import { importWeb } from './lib/modules.mjs';

const bars = { accessibility: 95, 'best-practices': 95, performance: 90 };
const maxFirstLoadKb = 400;

let instance;
let chrome;
let profile;

async function startChromium() {
  profile = mkdtempSync(join(tmpdir(), 'signaal-lighthouse-'));
  const child = spawn(chromiumPath, [...chromiumArgs, '--ignore-certificate-errors', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], { stdio: 'ignore' });
  const portFile = join(profile, 'DevToolsActivePort');
  for (let i = 0; i < 200 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(existsSync(portFile), 'Chromium opened a debugging port');
  await new Promise((r) => setTimeout(r, 200));
  return { child, port: Number(readFileSync(portFile, 'utf8').split('\n')[0]) };
}

before(async () => {
  instance = await startInstance({ powDifficulty: 8 });
  chrome = await startChromium();
});
after(async () => {
  chrome?.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  if (profile) rmSync(profile, { recursive: true, force: true });
  await instance?.stop();
});

async function run(lighthouse) {
  const result = await lighthouse(instance.baseUrl, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: Object.keys(bars),
    // Default: the mobile form factor with simulated slow 4G and a 4x slower CPU.
  });
  const lhr = result.lhr;
  assert.equal(lhr.runtimeError, undefined, JSON.stringify(lhr.runtimeError));
  const scores = Object.fromEntries(Object.keys(bars).map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]));
  console.log(`lighthouse ${lhr.lighthouseVersion} mobile: performance ${scores.performance}, accessibility ${scores.accessibility}, best practices ${scores['best-practices']}`);
  for (const [c, bar] of Object.entries(bars)) {
    if (scores[c] >= bar) continue;
    for (const ref of lhr.categories[c].auditRefs) {
      const a = lhr.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1) console.log(`  ${c}: ${a.id} ${a.score} ${a.displayValue ?? ''}`);
    }
  }
  return { result, lhr, scores };
}

const passes = (scores) => Object.entries(bars).every(([c, bar]) => scores[c] >= bar);

// Lighthouse's own advice on variance: judge the median of several runs, not one.
// Performance on a shared 2-core machine varies from run to run; three runs at most.
test('Lighthouse mobile scores and first-load size', { timeout: 270000 }, async () => {
  const lighthouse = (await importWeb('lighthouse')).default;
  const runs = [];
  while (runs.length < 3) {
    runs.push(await run(lighthouse));
    const passed = runs.filter((r) => passes(r.scores)).length;
    if (passed >= 2 || runs.length - passed >= 2) break;
  }
  const passed = runs.filter((r) => passes(r.scores)).length;
  runs.sort((a, b) => a.scores.performance - b.scores.performance);
  const median = runs[Math.floor(runs.length / 2)];
  const { lhr, scores, result } = median;
  const firstLoadKb = lhr.audits['total-byte-weight'].numericValue / 1024;
  console.log(`${passed} of ${runs.length} runs meet every bar; median run: performance ${scores.performance}, accessibility ${scores.accessibility}, best practices ${scores['best-practices']}`);
  console.log(`first load, transferred (compressed): ${firstLoadKb.toFixed(1)} KB in ${lhr.audits['network-requests'].details.items.length} requests`);
  const reportDir = join(screenshotDir, '..');
  mkdirSync(reportDir, { recursive: true });
  writeFileSync(join(reportDir, 'lighthouse.json'), result.report);
  // CTest shows a passing test's output only with -V, so the figures also go to a file.
  writeFileSync(join(reportDir, 'lighthouse-scores.txt'),
    `lighthouse ${lhr.lighthouseVersion} mobile, median of ${runs.length} runs (${passed} meet every bar): ` +
    `performance ${scores.performance}, accessibility ${scores.accessibility}, best practices ${scores['best-practices']}; ` +
    `first load ${firstLoadKb.toFixed(1)} KB transferred\n`);
  assert.ok(passed * 2 > runs.length, `most runs fall below the bars ${JSON.stringify(bars)}`);
  assert.ok(firstLoadKb <= maxFirstLoadKb, `first load ${firstLoadKb.toFixed(1)} KB > ${maxFirstLoadKb} KB`);
});
