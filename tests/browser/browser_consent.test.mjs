// Stepped consent (issue 14, PROTOCOL.md section 7) end to end, in Chromium against a real
// signaal-server on loopback, with the real signaal-inbox:
//  1. a report goes from the phone page to care only, with hearing back;
//  2. care asks in a message (signaal-inbox reply);
//  3. on /follow-up she taps from that message to her choices, adds police, reads in plain
//     words what that means (nl and en, screenshots), and confirms: the change is signed with
//     her mailbox key in the browser;
//  4. a care caseworker forwards with `signaal-inbox forward`;
//  5. a police caseworker decrypts exactly her text and verifies her signature
//     (`signaal-inbox show`, and again here with libsodium alone).
// Then she stops care from reading it: care's view is 404 and its `withdrawn` event is there.
// The web inbox's Forward button: verified changes, the new desk's fingerprint, sealed and
// posted; police opens exactly the text. And someone who can write the database swaps the
// signature of her change: the web inbox shows it as not hers and refuses to forward (no
// request leaves), and so does `signaal-inbox forward`. Axe finds no serious violation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from './lib/browser.mjs';
import { signIn as staffSignIn } from './lib/desk-holder.mjs';
import { shoot, shownReceipt, walk } from './lib/flow.mjs';
import { startInstance } from './lib/instance.mjs';
import { loadSodium, webDir } from './lib/modules.mjs';
import { audit } from './lib/axe.mjs';

const web = (p) => import(join(webDir, 'src', p));
const { decode, encode } = await web('lib/base64url.js');
const report = await web('lib/report.js');
const pow = await web('lib/pow.js');
const consent = await web('lib/consent.js');
const { mailboxLoginMessage } = await web('lib/login.js');
const { formatReceipt, receiptKeys } = await web('lib/receipt.js');
const { deskFingerprint } = await web('staff/fingerprint.js');
const sodium = await loadSodium();
const utf8 = (s) => new TextEncoder().encode(s);

let instance;
let config;
let exitUrl;
const staff = {}; // desk -> bearer token of its demo caseworker

before(async () => {
  instance = await startInstance({ powDifficulty: 8 });
  for (const desk of ['care', 'police']) staff[desk] = (await staffSignIn(instance, `${desk}-demo`)).token;
  const { context, close } = await launch();
  config = await (await context.request.get(api('config'))).json();
  await close();
  exitUrl = config.quick_exit_url;
  assert.deepEqual(config.routing.physical_violence.slice().sort(), ['care', 'municipality', 'police']);
});
after(async () => instance?.stop());

const api = (path) => `${instance.baseUrl}api/v1/${path}`;
const bearer = (token) => ({ Authorization: `Bearer ${token}` });
const deskEntry = (id) => config.desks.find((d) => d.id === id);

async function json(answer, status) {
  const text = await answer.text();
  assert.equal(answer.status(), status, `${answer.url()}: ${text}`);
  return text ? JSON.parse(text) : null;
}

const reportView = async (request, desk, id) => json(await request.get(api(`reports/${id}`), { headers: bearer(staff[desk]) }), 200);

/**
 * Opens a served report view with a desk's key, written here with libsodium alone: the
 * envelope, then the AEAD with the AD of what it was sealed with (sealed_consent, sealed_desks).
 */
function openView(view, desk) {
  const file = instance.deskKey(desk);
  const key = sodium.crypto_box_seal_open(decode(view.envelopes[desk].sealed), decode(file.public_key), decode(file.secret_key));
  const ad = ['signaal/report/v1', view.role, view.category, [...view.sealed_consent].sort().join(','), view.sealed_desks.join(',')].join('\n');
  const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, decode(view.ciphertext), utf8(ad), decode(view.nonce), key);
  let end = padded.length - 1;
  while (padded[end] === 0) end--;
  assert.equal(padded[end], 0x80);
  return JSON.parse(new TextDecoder().decode(padded.subarray(0, end)));
}

/** Her signature on change c, checked here against the mailbox key inside the decrypted report. */
function signedByHer(view, plain, c) {
  const signed = utf8(['signaal/consent/v1', view.id, String(c.change), [...c.add].sort().join(','), [...c.remove].sort().join(',')].join('\n'));
  return sodium.crypto_sign_verify_detached(decode(c.signature), signed, decode(plain.reply.mailbox_pk));
}

/**
 * signaal-inbox as `<desk>-demo`. Its own desk key and the keys of `trusted` desks are pinned
 * first, as if she had compared and accepted their fingerprints (without a terminal the
 * client never trusts a key by itself).
 */
function inbox(desk, args, trusted = []) {
  const program = process.env.SIGNAAL_INBOX;
  assert.ok(program, 'SIGNAAL_INBOX names signaal-inbox');
  const keyFile = join(instance.dir, 'keys', `staff-${desk}-demo.json`);
  const pins = { kind: 'signaal-desk-pins', v: 1, desks: {} };
  for (const d of [desk, ...trusted]) {
    const entry = deskEntry(d);
    pins.desks[d] = [{ key_id: entry.key_id, fingerprint: deskFingerprint(sodium, decode(entry.public_key)), granted_by: `${d}-demo` }];
  }
  writeFileSync(`${keyFile}.pins.json`, JSON.stringify(pins), { mode: 0o600 });
  const server = new URL(instance.baseUrl).origin;
  const run = spawnSync(program, ['--server', server, '--ca', join(instance.dir, 'tls', 'cert.pem'), '--key', keyFile, ...args], { encoding: 'utf8' });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

/** A page that records what it posts and every error; a request to another origin is recorded. */
async function openPage(options) {
  const browser = await launch(options);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const origin = new URL(instance.baseUrl).origin;
  const seen = { posts: [], foreign: [], errors: [] };
  page.on('pageerror', (e) => seen.errors.push(e.message));
  // A 404 is what a desk hears for a report she stopped it from reading (the first test's
  // report, still in care's inbox history): the web inbox drops it. Anything else counts.
  page.on('console', (m) => m.type() === 'error' && !/status of 404/.test(m.text()) && seen.errors.push(m.text()));
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== origin && r.url() !== exitUrl) seen.foreign.push(r.url());
    if (r.method() === 'POST') seen.posts.push(new URL(r.url()).pathname);
  });
  return { ...browser, page, seen };
}

async function typeReceipt(page, text) {
  await page.waitForSelector('main[data-screen="enter"] #receipt');
  await page.fill('#receipt', '');
  await page.focus('#receipt');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await page.waitForSelector('main[data-screen="mailbox"]', { timeout: 30000 });
}

const statusLine = (page, desk) => page.textContent(`.status-list li[data-desk="${desk}"]`);

async function pressKey(page, selector) {
  await page.focus(selector);
  await page.keyboard.press('Enter');
}

async function inLanguage(page, lang) {
  await page.selectOption('#lang-picker', lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

test('the whole loop: care only, care asks, she adds police on /follow-up, signaal-inbox forward, police reads and verifies', async () => {
  const b = await openPage({ locale: 'en-GB' });
  try {
    const { page, context, seen } = b;
    // 1. A report to care only, from the phone page, hearing back on.
    const text = 'A client took my passport and says he will call the police on me. Care first, please.';
    await walk(page, instance.baseUrl, { role: 'sex_worker', category: 'physical_violence', text, desks: ['care'], hearBack: true });
    const code = await shownReceipt(page);
    const events = await json(await context.request.get(api('inbox?desk=care'), { headers: bearer(staff.care) }), 200);
    const id = events.events.filter((e) => e.kind === 'report').at(-1).report_id;
    const sent = await reportView(context.request, 'care', id);
    assert.deepEqual([sent.desks, sent.pending, sent.consent_changes], [['care'], [], []]);

    // 2. Care asks, with signaal-inbox.
    const question = 'Thank you. May we pass this on to the police? Only you can decide: use the page.';
    const asked = inbox('care', ['reply', id, '--text', question]);
    assert.equal(asked.status, 0, `${asked.out}${asked.err}`);

    // 3. On /follow-up: from care's message, one tap to her choices.
    await page.goto(`${instance.baseUrl}follow-up/`);
    await typeReceipt(page, code);
    const fromCare = page.locator('.messages li[data-sender="desk:care"]');
    assert.equal(await fromCare.locator('.text').textContent(), question);
    assert.match(await statusLine(page, 'care'), /^Care services has your report/);
    assert.equal(await page.locator('#consent-only').count(), 1, 'care is the only desk with it: it cannot be removed');
    assert.equal(await page.locator('#consent-remove-care').count(), 0);
    await fromCare.locator('button.to-readers').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'readers-title', 'the tap lands on who can read it');
    // Only desks the category routes to, and not care, which has it.
    const offered = await page.$$eval('.consent-choices button', (els) => els.map((e) => e.id).sort());
    assert.deepEqual(offered, ['consent-add-municipality', 'consent-add-police']);
    await audit(page, 'mailbox with choices');

    await pressKey(page, '#consent-add-police');
    await page.waitForSelector('main[data-screen="consent"]');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
    assert.equal(await page.textContent('main h1'), 'Let Police read your report?');
    assert.equal(await page.textContent('#consent-means'), 'Police will be able to read your report. They may contact the organisations that already read it.');
    assert.match(await page.textContent('#consent-now'), /Care services/);
    await audit(page, 'consent screen, en');
    await shoot(page, 'followup-consent-add-en');
    await inLanguage(page, 'nl');
    assert.equal(await page.textContent('main h1'), 'Politie je melding laten lezen?');
    assert.equal(await page.textContent('#consent-means'), 'Politie kan je melding dan lezen. Ze kunnen contact opnemen met de organisaties die hem al lazen.');
    await audit(page, 'consent screen, nl');
    await shoot(page, 'followup-consent-add-nl');
    await inLanguage(page, 'en');
    // "No" changes nothing; then "yes".
    await pressKey(page, '#consent-cancel');
    await page.waitForSelector('main[data-screen="mailbox"]');
    assert.equal((await reportView(context.request, 'care', id)).consent_changes.length, 0, 'going back sends nothing');
    await pressKey(page, '#consent-add-police');
    await page.waitForSelector('main[data-screen="consent"]');
    await pressKey(page, '#consent-confirm');
    await page.waitForFunction(() => /^Done: Police may read your report/.test(document.getElementById('notice')?.textContent ?? ''), null, { timeout: 30000 });
    assert.equal(await statusLine(page, 'police'), 'Police may read your report, but does not have it yet.');
    assert.equal(await page.locator('#consent-add-police').count(), 0);

    const pendingView = await reportView(context.request, 'care', id);
    assert.deepEqual([pendingView.desks, pendingView.pending, pendingView.consent], [['care'], ['police'], ['care', 'police']]);
    assert.equal(pendingView.consent_changes.length, 1);
    const change = pendingView.consent_changes[0];
    assert.deepEqual([change.change, change.add, change.remove], [1, ['police'], []]);
    assert.ok(signedByHer(pendingView, openView(pendingView, 'care'), change), 'her mailbox key signed it in the browser');

    // 4. A care caseworker forwards with signaal-inbox (police's key pinned as compared).
    const forwarded = inbox('care', ['forward', id], ['police']);
    assert.equal(forwarded.status, 0, `${forwarded.out}${forwarded.err}`);

    // 5. Police decrypts exactly her text and verifies her signature.
    const policeEvents = await json(await context.request.get(api('inbox?desk=police'), { headers: bearer(staff.police) }), 200);
    assert.ok(policeEvents.events.some((e) => e.report_id === id && e.kind === 'report'), 'police got its report event');
    const shown = inbox('police', ['show', id]);
    assert.equal(shown.status, 0, shown.err);
    assert.ok(shown.out.includes(text), `signaal-inbox decrypts her text as police:\n${shown.out}`);
    assert.match(shown.out, /change 1: .*add police, remove -: verified \(signed with the mailbox key sealed in the report\)/);
    assert.match(shown.out, /consent history: verified/);
    assert.doesNotMatch(shown.out, /REJECTED|WARNING/);
    const policeView = await reportView(context.request, 'police', id);
    assert.deepEqual([policeView.desks, policeView.pending, policeView.sealed_desks], [['care', 'police'], [], ['care']]);
    const plain = openView(policeView, 'police');
    assert.equal(plain.text, text, 'exactly the original text');
    assert.ok(signedByHer(policeView, plain, policeView.consent_changes[0]));

    // She sees police has it now. Then she stops care from reading it.
    await pressKey(page, '#refresh');
    await page.waitForFunction(() => /^Police has your report/.test(document.querySelector('.status-list li[data-desk="police"]')?.textContent ?? ''), null, { timeout: 30000 });
    await pressKey(page, '#consent-remove-care');
    await page.waitForSelector('main[data-screen="consent"]');
    assert.equal(await page.textContent('#consent-means'), 'Care services will no longer be able to open your report. What they already read, they may keep.');
    await audit(page, 'remove screen, en');
    await shoot(page, 'followup-consent-remove-en');
    await inLanguage(page, 'nl');
    assert.equal(await page.textContent('#consent-means'), 'Zorg en hulpverlening kan je melding dan niet meer openen. Wat ze al lazen, mogen ze houden.');
    await shoot(page, 'followup-consent-remove-nl');
    await pressKey(page, '#consent-confirm');
    await page.waitForFunction(() => /^Gedaan: /.test(document.getElementById('notice')?.textContent ?? ''), null, { timeout: 30000 });
    assert.equal(await page.locator('.status-list li[data-desk="care"]').count(), 0);
    assert.equal((await context.request.get(api(`reports/${id}`), { headers: bearer(staff.care) })).status(), 404, 'care can no longer fetch it');
    const careEvents = await json(await context.request.get(api('inbox?desk=care'), { headers: bearer(staff.care) }), 200);
    assert.equal(careEvents.events.filter((e) => e.report_id === id).at(-1).kind, 'withdrawn');
    assert.equal(openView(await reportView(context.request, 'police', id), 'police').text, text, 'police still reads it');
    assert.deepEqual(seen.foreign, []);
    assert.deepEqual(seen.errors, [], 'no script or CSP errors');
  } finally {
    await b.close();
  }
});

// ---- reports made in node, as the phone page makes them ------------------------------------

/** A report to care only with a fresh receipt: {id, receipt, keys, text}. */
async function careOnlyReport(request, text) {
  const receipt = sodium.randombytes_buf(10);
  const keys = receiptKeys(sodium, receipt);
  const reply = { box_pk: encode(keys.box.publicKey), mailbox_pk: encode(keys.mailbox.publicKey) };
  const { body } = report.buildReport(sodium, config, { lang: 'en', role: 'sex_worker', category: 'physical_violence', text, consent: ['care'], reply, writtenAt: '2026-11-29' });
  const ticket = await json(await request.get(api('pow')), 200);
  body.pow = { token: ticket.token, nonce: encode(pow.search(decode(ticket.token), ticket.difficulty, 0, 1 << 24)) };
  return { id: (await json(await request.post(api('reports'), { data: body }), 201)).id, receipt, keys, text };
}

/** Her change, signed and posted from node with her receipt's keys (the page does the same). */
async function addAsHer(request, sent, desk) {
  const { challenge } = await json(await request.post(api('auth/challenge'), { data: {} }), 200);
  const login = sodium.crypto_sign_detached(mailboxLoginMessage(new URL(instance.baseUrl).origin, decode(challenge)), sent.keys.mailbox.privateKey);
  const { token } = await json(await request.post(api('auth/mailbox'), { data: { mailbox_pk: encode(sent.keys.mailbox.publicKey), challenge, signature: encode(login) } }), 200);
  const mailbox = await json(await request.get(api('mailbox'), { headers: bearer(token) }), 200);
  const body = consent.signConsentChange(sodium, { reportId: sent.id, change: consent.nextChange(mailbox.reports[0].consent_changes), add: [desk], remove: [], mailboxSk: sent.keys.mailbox.privateKey });
  return json(await request.post(api('mailbox/consent'), { data: body, headers: bearer(token) }), 200);
}

async function signInDesk(page) {
  await page.goto(`${instance.baseUrl}desk/`);
  await page.waitForSelector('main[data-screen="open"] #key-file');
  await page.setInputFiles('#key-file', join(instance.dir, 'keys', 'staff-care-demo.json'));
  await page.waitForSelector('#unlocked-warning', { state: 'visible' });
  await page.click('form.open button[type="submit"]');
  await page.waitForSelector('main[data-screen="inbox"]', { timeout: 30000 });
}

async function openSignal(page, id) {
  const button = `table.signals tbody tr[data-id="${id}"] button:not([disabled])`;
  await page.waitForSelector(button, { timeout: 30000 });
  await pressKey(page, button);
  await page.waitForSelector(`article.report[data-id="${id}"] #consent-title`);
}

test('web inbox: pending police with her verified change; Forward shows the fingerprint, seals, and police reads it', async () => {
  const b = await openPage({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  try {
    const { page, context, seen } = b;
    const sent = await careOnlyReport(context.request, 'Two men wait outside the house every night. I now want the police to know.');
    assert.deepEqual((await addAsHer(context.request, sent, 'police')).pending, ['police']);
    await signInDesk(page);
    await page.waitForSelector(`tr[data-id="${sent.id}"] [data-pending="police"]`, { timeout: 30000 });
    await openSignal(page, sent.id);
    assert.match(await page.textContent('#consent-pending'), /also let Police read this signal/);
    assert.deepEqual(await page.$$eval('#consent-changes > li', (els) => els.map((e) => `${e.dataset.change}:${e.dataset.verdict}`)), ['1:verified']);
    assert.match(await page.textContent('#consent-changes'), /lets Police read it\./);
    assert.match(await page.textContent('#consent-checked'), /Every change is signed by the reporter/);

    await pressKey(page, '#forward-start');
    await page.waitForSelector('#forward-confirm-panel');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'forward-confirm');
    const police = deskEntry('police');
    assert.equal(await page.textContent('#forward-confirm-panel li[data-desk="police"] .fingerprint'), deskFingerprint(sodium, decode(police.public_key)));
    assert.equal(seen.posts.filter((p) => p.endsWith('/envelopes')).length, 0, 'nothing is posted before she confirms');
    await audit(page, 'forward confirmation');
    await shoot(page, 'desk-forward-confirm');
    await pressKey(page, '#forward-confirm');
    await page.waitForFunction(() => /^Forwarded: Police can now open this signal\.$/.test(document.getElementById('forward-message')?.textContent ?? ''), null, { timeout: 30000 });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'forward-message');
    assert.equal(await page.locator('#forward-start').count(), 0, 'nothing is pending any more');

    const view = await reportView(context.request, 'police', sent.id);
    assert.deepEqual([view.desks, view.pending], [['care', 'police'], []]);
    const plain = openView(view, 'police');
    assert.equal(plain.text, sent.text);
    assert.ok(signedByHer(view, plain, view.consent_changes[0]));
    assert.deepEqual(seen.errors, [], 'no script or CSP errors');
  } finally {
    await b.close();
  }
});

/** Someone who can write the database, with the sqlite3 shell beside the running server. */
function sql(statement) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', join(instance.dir, 'signaal.db'), statement], { encoding: 'utf8' });
}
const hex = (bytes) => `X'${Buffer.from(bytes).toString('hex')}'`;

test('a change whose signature is not hers: the web inbox says so and refuses to forward, and so does signaal-inbox', async () => {
  const b = await openPage({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  try {
    const { page, context, seen } = b;
    const sent = await careOnlyReport(context.request, 'Only care may read this.');
    await addAsHer(context.request, sent, 'municipality');
    // The database writer puts police in her change and signs it with another key.
    const forger = sodium.crypto_sign_keypair();
    const forged = sodium.crypto_sign_detached(utf8(`signaal/consent/v1\n${sent.id}\n1\npolice\n`), forger.privateKey);
    forgeChange(sent.id, 'police', 'municipality', forged);
    const served = await reportView(context.request, 'care', sent.id);
    assert.deepEqual([served.pending, served.consent_changes[0].add], [['police'], ['police']], 'the server now serves the forgery');

    await signInDesk(page);
    await openSignal(page, sent.id);
    assert.deepEqual(await page.$$eval('#consent-changes > li', (els) => els.map((e) => `${e.dataset.change}:${e.dataset.verdict}`)), ['1:bad_signature']);
    assert.match(await page.textContent('#consent-changes'), /NOT signed with the reporter’s key/);
    assert.match(await page.textContent('#consent-problems'), /do not check out/);
    await pressKey(page, '#forward-start');
    await page.waitForFunction(() => /^Not forwarded: /.test(document.getElementById('forward-message')?.textContent ?? ''), null, { timeout: 30000 });
    assert.equal(await page.getAttribute('#forward-message', 'role'), 'alert');
    assert.equal(await page.locator('#forward-confirm').count(), 0, 'no way to confirm');
    assert.equal(seen.posts.filter((p) => p.endsWith('/envelopes')).length, 0, 'nothing was posted');
    await audit(page, 'refused forward');
    await shoot(page, 'desk-forward-refused');

    const cli = inbox('care', ['forward', sent.id], ['police']);
    assert.notEqual(cli.status, 0, `signaal-inbox forward must refuse:\n${cli.out}${cli.err}`);
    const after = await reportView(context.request, 'care', sent.id);
    assert.deepEqual([after.desks, after.pending], [['care'], ['police']], 'police never got the report');
    assert.deepEqual(seen.errors, [], 'no script or CSP errors');
  } finally {
    await b.close();
  }
});

/**
 * Rewrites her change 1 (adds `from` → adds `to`) and the pending desk, with the writer's
 * signature (schema 007: the current consent is derived from the changes, so it follows).
 */
function forgeChange(reportId, to, from, signature) {
  const report = `(SELECT no FROM reports WHERE id = ${hex(decode(reportId))})`;
  sql(`BEGIN;
UPDATE consent_changes SET added = '${to}', signature = ${hex(signature)} WHERE report_no = ${report} AND change_no = 1;
UPDATE pending_desks SET desk = '${to}' WHERE report_no = ${report} AND desk = '${from}';
COMMIT;`);
}

test('follow-up at 360×640 in Dutch: the choices and the consent screen fit without sideways scrolling', async () => {
  const b = await openPage({ locale: 'nl-NL' });
  try {
    const { page, context, seen } = b;
    const sent = await careOnlyReport(context.request, 'Kort verhaal.');
    await page.goto(`${instance.baseUrl}follow-up/`);
    await typeReceipt(page, formatReceipt(sent.receipt));
    await pressKey(page, '#consent-add-municipality');
    await page.waitForSelector('main[data-screen="consent"]');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false);
    await audit(page, 'consent screen at 360 px, nl');
    await shoot(page, 'followup-consent-municipality-nl');
    assert.deepEqual(seen.errors, []);
  } finally {
    await b.close();
  }
});
