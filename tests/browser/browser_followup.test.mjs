// The reporter's follow-up page at /follow-up in Chromium against a real signaal-server on
// loopback. A report with a receipt is built and sent here (web/src/lib/report.js, as the
// phone page does); the care desk marks it read and replies (web/src/lib/message.js with
// the demo's care desk key). On the page she types the receipt in lower case with spaces,
// sees the status per desk and the reply, writes back (the care desk then opens her
// message and checks its signature), and withdraws it: then the mailbox is empty, exactly
// as for a receipt that was never used. A message inserted into the database "from
// desk:care" whose reporter envelope is not care's is shown as "could not be checked",
// never as care's, and its text never appears. Axe finds no serious violation; keyboard
// only; nothing stored in the browser; no secret leaves it. Screenshots in en and nl go to
// <build>/artifacts/screenshots.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from './lib/browser.mjs';
import { signIn as staffSignIn } from './lib/desk-holder.mjs';
import { shoot, shownReceipt, walk } from './lib/flow.mjs';
import { startInstance } from './lib/instance.mjs';
import { loadSodium, webDir } from './lib/modules.mjs';
import { openReport } from './lib/open-report.mjs';
import { audit } from './lib/axe.mjs';

const web = (p) => import(join(webDir, 'src', p));
const { decode, encode } = await web('lib/base64url.js');
const report = await web('lib/report.js');
const pow = await web('lib/pow.js');
const message = await web('lib/message.js');
const { formatReceipt, receiptKeys } = await web('lib/receipt.js');
const { deskFingerprint } = await web('staff/fingerprint.js');
const sodium = await loadSodium();
const utf8 = (s) => new TextEncoder().encode(s);

let instance;
let config;
let exitUrl;
let care; // {desk, key_id, public_key, secret_key} of the demo's care desk
let staff; // the care caseworker's bearer token

before(async () => {
  instance = await startInstance({ powDifficulty: 8 });
  const file = instance.deskKey('care');
  const keyId = encode(sodium.crypto_generichash(32, decode(file.public_key)).subarray(0, 8));
  care = { desk: 'care', key_id: keyId, public_key: file.public_key, secret_key: file.secret_key };
  staff = (await staffSignIn(instance, 'care-demo')).token;
  const { context, close } = await launch();
  config = await (await context.request.get(api('config'))).json();
  await close();
  exitUrl = config.quick_exit_url;
  assert.match(exitUrl ?? '', /^https:\/\//, 'the config names a quick exit url');
});
after(async () => instance?.stop());

const api = (path) => `${instance.baseUrl}api/v1/${path}`;
const bearer = (token) => ({ Authorization: `Bearer ${token}` });

/** Sends a report with a fresh receipt's reply keys, as the phone page does; its receipt and body. */
async function sendReport(request, consent) {
  const receipt = sodium.randombytes_buf(10);
  const keys = receiptKeys(sodium, receipt);
  const reply = { box_pk: encode(keys.box.publicKey), mailbox_pk: encode(keys.mailbox.publicKey) };
  const draft = { lang: 'nl', role: 'sex_worker', category: 'physical_violence', text: 'Klant werd agressief bij de deur.', consent, reply, writtenAt: '2026-11-29' };
  const { body } = report.buildReport(sodium, config, draft);
  const ticket = await (await request.get(api('pow'))).json();
  const nonce = pow.search(decode(ticket.token), ticket.difficulty, 0, 1 << 24);
  assert.ok(nonce, 'proof of work found');
  body.pow = { token: ticket.token, nonce: encode(nonce) };
  const answer = await request.post(api('reports'), { data: body });
  assert.equal(answer.status(), 201, await answer.text());
  return { receipt, keys, body, id: (await answer.json()).id };
}

/** The care desk's reply to the reporter, sealed with the demo care key. */
async function deskReply(request, sent, text, n) {
  const view = await (await request.get(api(`reports/${sent.id}`), { headers: bearer(staff) })).json();
  // The desk client checks the served reply keys against those inside the sealed report.
  const plain = openReport(sent.body, care);
  assert.equal(view.reply_box_pk, plain.reply.box_pk);
  assert.equal(view.reply_mailbox_pk, plain.reply.mailbox_pk);
  const body = message.sealDeskReply(sodium, {
    reportId: sent.id, desk: 'care', deskKey: care, reporterBoxPk: decode(plain.reply.box_pk), text, lang: 'nl', n, buckets: config.padding_buckets,
  });
  const answer = await request.post(api(`reports/${sent.id}/messages`), { data: body, headers: bearer(staff) });
  assert.equal(answer.status(), 201, await answer.text());
}

async function setStatus(request, id, status) {
  const answer = await request.post(api(`reports/${id}/status`), { data: { desk: 'care', status }, headers: bearer(staff) });
  assert.equal(answer.status(), 200, await answer.text());
}

/**
 * Someone who can write the database adds a message "from desk:care" whose reporter
 * envelope is boxed under their own key while naming care's key id.
 */
function insertForgedReply(sent, text) {
  const forger = sodium.crypto_box_keypair();
  const forgerKey = { key_id: encode(sodium.crypto_generichash(32, forger.publicKey).subarray(0, 8)), public_key: forger.publicKey, secret_key: forger.privateKey };
  const body = message.sealDeskReply(sodium, {
    reportId: sent.id, desk: 'care', deskKey: forgerKey, reporterBoxPk: sent.keys.box.publicKey, text, lang: 'en', n: 7, buckets: config.padding_buckets,
  });
  const hex = (b64) => Buffer.from(decode(b64)).toString('hex');
  const reporterEnv = body.envelopes.reporter;
  const sql = `
    BEGIN;
    INSERT INTO messages (no, id, report_no, day, sender, recipients, nonce, ciphertext, signature)
      SELECT (SELECT COALESCE(MAX(no), 0) + 1 FROM messages), X'${Buffer.from(sodium.randombytes_buf(16)).toString('hex')}',
             r.no, (SELECT MAX(day) FROM messages), 'desk:care', 'care,reporter', X'${hex(body.nonce)}', X'${hex(body.ciphertext)}', NULL
        FROM reports r WHERE r.id = X'${hex(sent.id)}';
    INSERT INTO message_envelopes (message_no, recipient, key_id, sealed, nonce, box)
      VALUES ((SELECT MAX(no) FROM messages), 'reporter', X'${hex(care.key_id)}', NULL, X'${hex(reporterEnv.nonce)}', X'${hex(reporterEnv.box)}');
    COMMIT;`;
  const run = spawnSync('sqlite3', ['-bail', join(instance.dir, 'signaal.db')], { input: `PRAGMA busy_timeout = 5000;\n${sql}`, encoding: 'utf8' });
  assert.equal(run.status, 0, `sqlite3: ${run.stderr}`);
}

/** A page that records what it sends; any other origin than the instance's is refused and recorded. */
async function openPage(options) {
  const browser = await launch(options);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const origin = new URL(instance.baseUrl).origin;
  const seen = { bodies: [], foreign: [], errors: [], cookies: [] };
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && seen.errors.push(m.text()));
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== origin && r.url() !== exitUrl) seen.foreign.push(r.url());
    if (r.postData()) seen.bodies.push(r.postData());
  });
  page.on('response', async (r) => {
    if ((await r.allHeaders())['set-cookie']) seen.cookies.push(r.url());
  });
  await browser.context.route(`${new URL(exitUrl).origin}/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>neutral</title><p>neutral</p>' }));
  return { ...browser, page, seen };
}

/** Types a receipt and presses Enter, keyboard only. */
async function typeReceipt(page, text) {
  await page.waitForSelector('main[data-screen="enter"] #receipt');
  await page.fill('#receipt', '');
  await page.focus('#receipt');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

const statusText = (page, desk) => page.textContent(`.status-list li[data-desk="${desk}"]`);

test('follow-up: receipt typed loosely, status and reply, write back, a forged reply, withdraw', async () => {
  const b = await openPage({ locale: 'en-GB' });
  try {
    const { page, context, seen } = b;
    const sent = await sendReport(context.request, ['care', 'police']);
    assert.deepEqual(sent.body.desks, ['care', 'police']);
    await setStatus(context.request, sent.id, 'acknowledged');
    const replyText = 'We hebben je melding gelezen. Wil je dat we je helpen? "Ja" — ✓';
    await deskReply(context.request, sent, replyText, 1);
    const forgedText = 'Bel nu dit nummer: 0612345678';
    insertForgedReply(sent, forgedText);

    // /follow-up, as people type it, leads to the page.
    await page.goto(`${instance.baseUrl}follow-up`);
    assert.ok(page.url().endsWith('/follow-up/'), page.url());
    await page.waitForSelector('main[data-screen="enter"] #receipt');
    await audit(page, 'enter');
    await shoot(page, 'followup-enter-en');

    // Not a receipt: a plain error, nothing sent.
    const before = seen.bodies.length;
    await typeReceipt(page, 'my code is lost');
    await page.waitForSelector('#receipt-error:not([hidden])');
    assert.match(await page.textContent('#receipt-error'), /not a code from Signaal/);
    assert.equal(await page.getAttribute('#receipt', 'aria-invalid'), 'true');
    assert.equal(seen.bodies.length, before, 'nothing is sent for a text that is not a receipt');

    // Lower case, spaces for dashes: opens her mailbox.
    const typed = formatReceipt(sent.receipt).toLowerCase().replace(/-/g, ' ');
    await typeReceipt(page, typed);
    await page.waitForSelector('main[data-screen="mailbox"]', { timeout: 30000 });
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus moves to the heading');
    assert.equal(await statusText(page, 'care'), 'Care services has read your report.');
    assert.match(await statusText(page, 'police'), /^Police has your report, but has not said yet/);
    assert.match(await page.textContent('#report-summary'), /Physical violence/);

    // The reply, from care; the forged one, not.
    const fromCare = page.locator('.messages li[data-sender="desk:care"]');
    assert.equal(await fromCare.count(), 1, 'exactly one message is shown as care\'s');
    assert.equal(await fromCare.locator('.text').textContent(), replyText);
    assert.equal(await fromCare.locator('h3').textContent(), 'From Care services');
    const unchecked = page.locator('.messages li[data-kind="unchecked"]');
    assert.equal(await unchecked.count(), 1, 'the forged reply is listed as could not be checked');
    assert.match(await unchecked.textContent(), /Could not be checked/);
    assert.doesNotMatch(await unchecked.textContent(), /Care services/);
    assert.equal((await page.textContent('main')).includes(forgedText), false, 'the forged text is never shown');
    await audit(page, 'mailbox');
    await shoot(page, 'followup-mailbox-en');

    // Dutch, then back.
    await page.selectOption('#lang-picker', 'nl');
    await page.waitForFunction(() => document.documentElement.lang === 'nl');
    assert.match(await statusText(page, 'care'), / heeft je melding gelezen\.$/);
    assert.match(await page.textContent('main h1'), /^Je melding$/);
    await audit(page, 'mailbox in Dutch');
    await shoot(page, 'followup-mailbox-nl');
    await page.selectOption('#lang-picker', 'en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');

    // She writes back to care only, by keyboard: every desk is ticked to begin with.
    assert.equal(await page.isChecked('#to-care'), true);
    assert.equal(await page.isChecked('#to-police'), true);
    await page.focus('#to-police');
    await page.keyboard.press('Space');
    assert.equal(await page.isChecked('#to-police'), false);
    const herText = 'Ja graag. Liever via deze pagina dan via de telefoon.';
    await page.focus('#reply-text');
    await page.keyboard.type(herText);
    await page.focus('#send');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('notice')?.textContent === 'Your message was sent.', null, { timeout: 30000 });
    const mine = page.locator('.messages li[data-kind="own"]');
    assert.equal(await mine.count(), 1);
    assert.equal(await mine.locator('.text').textContent(), herText);
    assert.equal(await mine.locator('h3').textContent(), 'You wrote to Care services');

    // The care desk opens her message and checks its signature against the mailbox key
    // inside the report it decrypted (never the served one).
    const view = await (await context.request.get(api(`reports/${sent.id}`), { headers: bearer(staff) })).json();
    const hers = view.messages.filter((m) => m.sender === 'reporter');
    assert.equal(hers.length, 1);
    assert.deepEqual(hers[0].recipients, ['care', 'reporter']);
    const mailboxPk = openReport(sent.body, care).reply.mailbox_pk;
    const opened = message.openAsDesk(sodium, hers[0], { deskSecrets: { care: { [care.key_id]: decode(care.secret_key) } }, mailboxPk });
    assert.equal(opened.status, 'ok');
    assert.equal(opened.text, herText);
    assert.equal(opened.n, 1);
    // The same signature check, written out here: msgsig over AD, nonce and ciphertext.
    const ad = `signaal/message/v1\n${sent.id}\nreporter\ncare,reporter`;
    const signed = new Uint8Array([...utf8(`signaal/msgsig/v1\n${ad}\n`), ...decode(hers[0].nonce), ...decode(hers[0].ciphertext)]);
    assert.ok(sodium.crypto_sign_verify_detached(decode(hers[0].signature), signed, decode(mailboxPk)));
    signed[signed.length - 1] ^= 1;
    assert.ok(!sodium.crypto_sign_verify_detached(decode(hers[0].signature), signed, decode(mailboxPk)));

    // Withdraw, after a confirmation that says what desks may keep.
    await page.focus('#withdraw');
    await page.keyboard.press('Enter');
    await page.waitForSelector('main[data-screen="confirm"]');
    assert.match(await page.textContent('main'), /Organisations that already read your report may keep what they read\./);
    await audit(page, 'confirm');
    await shoot(page, 'followup-confirm-en');
    await page.click('#confirm-withdraw');
    await page.waitForSelector('main[data-screen="withdrawn"]', { timeout: 30000 });
    assert.equal(await page.isHidden('#sign-out'), true, 'no session is left');
    await shoot(page, 'followup-withdrawn-en');
    const gone = await context.request.get(api(`reports/${sent.id}`), { headers: bearer(staff) });
    assert.equal(gone.status(), 404, 'the desk can no longer fetch it');

    // The same receipt now opens an empty mailbox: the same screen as a never-used receipt.
    await page.click('#start-again');
    await typeReceipt(page, formatReceipt(sent.receipt));
    await page.waitForSelector('main[data-screen="mailbox"] #empty', { timeout: 30000 });
    const afterWithdrawal = await page.textContent('main');
    await page.click('#try-again');
    await typeReceipt(page, formatReceipt(sodium.randombytes_buf(10)));
    await page.waitForSelector('main[data-screen="mailbox"] #empty', { timeout: 30000 });
    assert.equal(await page.textContent('main'), afterWithdrawal, 'a withdrawn report and an unused receipt look the same');
    await audit(page, 'empty');
    await shoot(page, 'followup-empty-en');

    // Closing forgets the session; the server ends the token.
    await page.click('#sign-out');
    await page.waitForSelector('main[data-screen="enter"]');
    assert.match(await page.textContent('#notice'), /forgotten your code/);

    const storage = await page.evaluate(async () => ({
      local: window.localStorage.length,
      session: window.sessionStorage.length,
      idb: (await indexedDB.databases()).map((d) => d.name),
      caches: 'caches' in window ? (await caches.keys()).length : 0,
    }));
    assert.deepEqual(storage, { local: 0, session: 0, idb: [], caches: 0 }, 'no web storage');
    assert.deepEqual(await context.cookies(), [], 'no cookies');
    assert.deepEqual(seen.cookies, [], 'no Set-Cookie');
    const secrets = [formatReceipt(sent.receipt), typed, encode(sent.receipt), encode(sent.keys.box.privateKey), encode(sent.keys.mailbox.privateKey),
      encode(sent.keys.mailbox.privateKey.subarray(0, 32)), herText, replyText];
    for (const body of seen.bodies) for (const s of secrets) assert.ok(!body.includes(s), 'no receipt, secret key or text is sent in the clear');
    assert.deepEqual(seen.foreign, [], 'no request to another origin');
    assert.deepEqual(seen.errors, [], 'no script or CSP errors');
  } finally {
    await b.close();
  }
});

/**
 * signaal-inbox as the demo's care caseworker, the way a person runs it: its exit status and
 * output. The care desk key's fingerprint is pinned first, as if she had compared and accepted it
 * at her first login (without a terminal the client never trusts a new key by itself).
 */
function inbox(args) {
  const program = process.env.SIGNAAL_INBOX;
  assert.ok(program, 'SIGNAAL_INBOX names signaal-inbox');
  const keyFile = join(instance.dir, 'keys', 'staff-care-demo.json');
  const pins = { kind: 'signaal-desk-pins', v: 1, desks: { care: [{ key_id: care.key_id, fingerprint: deskFingerprint(sodium, decode(care.public_key)), granted_by: 'care-demo' }] } };
  writeFileSync(`${keyFile}.pins.json`, JSON.stringify(pins), { mode: 0o600 });
  const server = new URL(instance.baseUrl).origin;
  const run = spawnSync(program, ['--server', server, '--ca', join(instance.dir, 'tls', 'cert.pem'), '--key', keyFile, ...args], { encoding: 'utf8' });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

test('the whole loop: the phone page with a receipt, a reply by signaal-inbox, read and answered on /follow-up, verified by signaal-inbox', async () => {
  const b = await openPage({ locale: 'en-GB' });
  try {
    const { page, context, seen } = b;
    // 1. She sends a report to care from the phone page, hearing back on, and keeps the code.
    const text = 'He keeps my passport. I want to talk to someone first.';
    await walk(page, instance.baseUrl, { role: 'sex_worker', category: 'physical_violence', text, desks: ['care'], hearBack: true });
    const code = await shownReceipt(page);
    assert.match(code ?? '', /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/, 'the done screen shows her code');
    const events = await (await context.request.get(api('inbox?desk=care'), { headers: bearer(staff) })).json();
    const id = events.events.filter((e) => e.kind === 'report').at(-1).report_id;

    // 2. The care caseworker reads it and replies with signaal-inbox.
    const shown = inbox(['show', id]);
    assert.equal(shown.status, 0, shown.err);
    assert.ok(shown.out.includes(text), 'signaal-inbox decrypts her text');
    const question = 'Thank you for telling us. Can we call you, or do you prefer this page?';
    const replied = inbox(['reply', id, '--text', question]);
    assert.equal(replied.status, 0, `${replied.out}${replied.err}`);

    // 3. On /follow-up she types the code in lower case with spaces, and reads care's reply.
    await page.goto(`${instance.baseUrl}follow-up/`);
    await typeReceipt(page, code.toLowerCase().replace(/-/g, ' '));
    await page.waitForSelector('main[data-screen="mailbox"]', { timeout: 30000 });
    const fromCare = page.locator('.messages li[data-sender="desk:care"]');
    assert.equal(await fromCare.count(), 1);
    assert.equal(await fromCare.locator('.text').textContent(), question);
    assert.equal(await fromCare.locator('h3').textContent(), 'From Care services');

    // 4. She writes back; the caseworker's signaal-inbox decrypts it and verifies her signature.
    const answer = 'This page, please. Not by phone.';
    await page.fill('#reply-text', answer);
    await page.click('#send');
    await page.waitForFunction(() => document.getElementById('notice')?.textContent === 'Your message was sent.', null, { timeout: 30000 });
    const after = inbox(['show', id]);
    assert.equal(after.status, 0, after.err);
    assert.ok(after.out.includes(answer), `signaal-inbox shows her answer:\n${after.out}`);
    assert.match(after.out, /verdict: verified \(signed with the reporter's mailbox key sealed in the report\)/);
    assert.doesNotMatch(after.out, /REJECTED|FLAGGED|WARNING/);
    assert.deepEqual(seen.errors, [], 'no script or CSP errors');
  } finally {
    await b.close();
  }
});

test('follow-up in Dutch at 360×640: the start screen, quick exit by Escape from the receipt box', async () => {
  const b = await openPage({ locale: 'nl-NL' });
  try {
    const { page, seen } = b;
    await page.goto(`${instance.baseUrl}follow-up/`);
    await page.waitForSelector('main[data-screen="enter"] #receipt');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'nl');
    assert.equal(await page.textContent('main h1'), 'Antwoorden op je melding');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false, 'no sideways scroll at 360 px');
    await audit(page, 'enter in Dutch');
    await shoot(page, 'followup-enter-nl');
    await page.focus('#receipt');
    await page.keyboard.type('04hm');
    await page.keyboard.press('Escape');
    await page.waitForURL(exitUrl, { timeout: 10000 });
    assert.equal(await page.textContent('p'), 'neutral');
    assert.deepEqual(seen.errors, []);
  } finally {
    await b.close();
  }
});
