// The web inbox at /desk/ in Chromium against a real signaal-server on loopback, with the
// demo's staff: care-demo's key file, locked here with the page's own lock code, opens
// with its passphrase typed in NFD (a wrong one is refused); sign-in; a report posted
// meanwhile appears live through the WebSocket stream; it opens to the typed text in the
// browser; the desk key's fingerprint is the demo desk key's; the status is set and holds
// after signing in again. Axe finds no serious violation; nothing is stored in the
// browser; no secret, no passphrase leaves it. Screenshots at 1280×800, on a tablet and
// in Dutch go to <build>/artifacts/screenshots.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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
const { deskFingerprint } = await web('staff/fingerprint.js');
const sodium = await loadSodium();
const sumo = await loadSumoSodium();

const passphrase = 'Één zeeëgel, één sleutel';
let instance;
let lockedPath;
let careKey;

before(async () => {
  instance = await startInstance({ powDifficulty: 8 });
  const v1 = readFileSync(join(instance.dir, 'keys', 'staff-care-demo.json'), 'utf8');
  const opened = keyfile.openStaffKey(sumo, v1);
  assert.ok(opened.ok, `the demo's staff key file opens: ${opened.code}`);
  careKey = opened.key;
  lockedPath = join(instance.dir, 'keys', 'staff-care-demo.locked.json');
  writeFileSync(lockedPath, JSON.stringify(keyfile.lockStaffKey(sumo, careKey, passphrase.normalize('NFC'))), { mode: 0o600 });
});
after(async () => instance?.stop());

/** Posts a report as the phone page would (config, proof of work, section 5 sealing). */
async function postReport(request, draft) {
  const config = await (await request.get(`${instance.baseUrl}api/v1/config`)).json();
  const { body } = report.buildReport(sodium, config, draft);
  const ticket = await (await request.get(`${instance.baseUrl}api/v1/pow`)).json();
  const nonce = pow.search(decode(ticket.token), ticket.difficulty, 0, 1 << 24);
  assert.ok(nonce, 'proof of work found');
  body.pow = { token: ticket.token, nonce: encode(nonce) };
  const answer = await request.post(`${instance.baseUrl}api/v1/reports`, { data: body });
  assert.equal(answer.status(), 201, await answer.text());
  return { config, id: (await answer.json()).id };
}

async function signIn(page, phrase) {
  await page.goto(`${instance.baseUrl}desk/`);
  await page.waitForSelector('main[data-screen="open"] #key-file');
  await page.setInputFiles('#key-file', lockedPath);
  await page.waitForSelector('#passphrase', { state: 'visible' });
  assert.equal(await page.isVisible('#unlocked-warning'), false, 'a locked file gets no warning');
  await page.fill('#passphrase', phrase);
  await page.press('#passphrase', 'Enter');
  await page.waitForSelector('main[data-screen="inbox"]', { timeout: 30000 });
  await page.waitForFunction(() => document.getElementById('live')?.dataset.state === 'live', null, { timeout: 30000 });
}

const rows = (page) => page.locator('table.signals tbody tr');

test('caseworker: locked key file, sign in, a signal arrives live, decrypts, shows the fingerprint, status set', async () => {
  const { context, close } = await launch({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
  const origin = new URL(instance.baseUrl).origin;
  const seen = { errors: [], foreign: [], bodies: [], sockets: [] };
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => seen.errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && seen.errors.push(m.text()));
    page.on('request', (r) => {
      if (new URL(r.url()).origin !== origin) seen.foreign.push(r.url());
      if (r.postData()) seen.bodies.push(r.postData());
    });
    page.on('websocket', (ws) => {
      seen.sockets.push(ws.url());
      ws.on('framesent', (f) => seen.bodies.push(String(f.payload)));
    });

    // One signal before signing in: it comes from the inbox.
    const first = await postReport(context.request, {
      lang: 'nl', role: 'sex_worker', category: 'physical_violence', text: 'Eerder signaal, voor het aanmelden.', consent: ['care'], writtenAt: '2026-11-28',
    });

    // A wrong passphrase is refused, with the message a damaged file gets.
    await page.goto(`${instance.baseUrl}desk/`);
    await page.waitForSelector('#key-file');
    await audit(page, 'open screen');
    await shoot(page, 'desk-open');
    // The demo's unlocked v1 file would open with a visible warning; the locked one asks for its passphrase.
    await page.setInputFiles('#key-file', join(instance.dir, 'keys', 'staff-care-demo.json'));
    await page.waitForSelector('#unlocked-warning', { state: 'visible' });
    assert.equal(await page.isVisible('#passphrase'), false);
    await shoot(page, 'desk-unlocked-warning');
    await page.setInputFiles('#key-file', lockedPath);
    await page.waitForSelector('#passphrase', { state: 'visible' });
    assert.equal(await page.isVisible('#unlocked-warning'), false);
    await page.fill('#passphrase', passphrase.toLowerCase());
    await page.click('form.open button[type="submit"]');
    await page.waitForFunction(() => document.getElementById('open-error')?.textContent.length > 0, null, { timeout: 30000 });
    assert.match(await page.textContent('#open-error'), /passphrase is wrong, or the key file is damaged/);
    await shoot(page, 'desk-wrong-passphrase');

    // The right one, typed in NFD, opens it.
    await signIn(page, passphrase.normalize('NFD'));
    assert.match(await page.textContent('#who'), /care-demo/);
    await rows(page).first().waitFor();
    assert.equal(await rows(page).count(), 1, 'the inbox holds the earlier signal');
    assert.equal(await page.getAttribute('table.signals tbody tr', 'data-id'), first.id);

    // The desk key was checked in the browser; its fingerprint is the demo desk key's.
    const careDesk = instance.deskKey('care');
    const expected = deskFingerprint(sumo, decode(careDesk.public_key));
    const shown = await page.$$eval('.desk-keys[data-desk="care"] .fingerprint', (els) => els.map((e) => e.textContent));
    assert.ok(shown.includes(expected), `fingerprint ${expected} shown (${shown})`);
    assert.ok(seen.sockets.some((u) => u.startsWith('wss://') && u.endsWith('/api/v1/stream')), `a wss stream opened: ${seen.sockets}`);

    // A report posted now appears without any reload: only the stream can bring it.
    const text = 'Live: klant dreigde met geweld bij de deur. "Let op" — ✓';
    const live = await postReport(context.request, { lang: 'nl', role: 'sex_worker', category: 'physical_violence', text, where: 'Havenkwartier', consent: ['care', 'police'], writtenAt: '2026-11-29' });
    await page.waitForSelector(`table.signals tbody tr[data-id="${live.id}"] button:not([disabled])`, { timeout: 30000 });
    assert.equal(await rows(page).count(), 2);
    assert.match(await page.textContent('#live'), /New signal for/);
    await shoot(page, 'desk-inbox');

    await page.click(`table.signals tbody tr[data-id="${live.id}"] button`);
    await page.waitForSelector('#report-text');
    assert.equal(await page.textContent('#report-text'), text);
    assert.ok((await page.textContent('#opened-with')).includes(expected), 'the report names the key that opened it');
    assert.ok((await page.textContent('.report .fields')).includes('Havenkwartier'));
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'report-title', 'focus moves to the opened signal');
    await audit(page, 'report');

    // Status, from the keyboard.
    await page.focus('#status-care');
    await page.selectOption('#status-care', 'in_progress');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('status-message')?.textContent.length > 0);
    assert.equal(await page.textContent('#status-message'), 'Status saved.');
    assert.match(await page.textContent(`tr[data-id="${live.id}"] .status-cell`), /In progress/);
    await shoot(page, 'desk-report');

    await page.setViewportSize({ width: 820, height: 1180 });
    await shoot(page, 'desk-tablet');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false, 'no sideways scroll on a tablet');
    await page.selectOption('#lang-picker', 'nl');
    await page.waitForFunction(() => document.documentElement.lang === 'nl');
    await shoot(page, 'desk-nl');
    await audit(page, 'inbox in Dutch');
    await page.selectOption('#lang-picker', 'en');
    await page.setViewportSize({ width: 1280, height: 800 });

    // Signing out forgets the session; signing in again shows the status the server kept.
    await page.click('#sign-out');
    await page.waitForSelector('main[data-screen="open"]');
    await signIn(page, passphrase);
    await page.waitForSelector(`table.signals tbody tr[data-id="${live.id}"] button:not([disabled])`);
    assert.match(await page.textContent(`tr[data-id="${live.id}"] .status-cell`), /In progress/);

    const storage = await page.evaluate(async () => ({
      local: window.localStorage.length,
      session: window.sessionStorage.length,
      idb: (await indexedDB.databases()).map((d) => d.name),
      caches: 'caches' in window ? (await caches.keys()).length : 0,
    }));
    assert.deepEqual(storage, { local: 0, session: 0, idb: [], caches: 0 }, 'no web storage');
    assert.deepEqual(await context.cookies(), [], 'no cookies');
    const secrets = [encode(careKey.signSk), encode(careKey.signSk.subarray(0, 32)), encode(careKey.boxSk), passphrase, passphrase.normalize('NFD'), text];
    for (const body of seen.bodies) for (const s of secrets) assert.ok(!body.includes(s), 'no secret, passphrase or report text is sent');
    assert.deepEqual(seen.foreign, [], 'no request to another origin');
    assert.deepEqual(seen.errors, [], 'no script or CSP errors');
  } finally {
    await close();
  }
});
