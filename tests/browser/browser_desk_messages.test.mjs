// The web inbox's side of the anonymous follow-up (PROTOCOL.md section 7), in Chromium
// against a real signaal-server on loopback. A report with reply keys arrives; a reporter
// message, built in node with message.js and the receipt's keys, shows as checked; the
// caseworker replies in the page, and the reporter opens that reply in node as from the
// desk (status 'ok'). A second message arrives live and shows while the signal is open.
// Then someone who can write the database: a message inserted "from the reporter" with a
// bad signature shows as rejected, never as hers; swapped reply keys make the page mark
// the signal and refuse to reply. Last, her withdrawal drops the signal from the list
// with a short notice. Axe finds no serious violation; a screenshot of a signal with its
// messages goes to <build>/artifacts/screenshots.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { launch } from './lib/browser.mjs';
import { shoot } from './lib/flow.mjs';
import { startInstance } from './lib/instance.mjs';
import { loadSodium, webDir } from './lib/modules.mjs';
import { audit } from './lib/axe.mjs';

const web = (p) => import(join(webDir, 'src', p));
const { decode, encode } = await web('lib/base64url.js');
const report = await web('lib/report.js');
const pow = await web('lib/pow.js');
const message = await web('lib/message.js');
const { receiptKeys } = await web('lib/receipt.js');
const { mailboxLoginMessage } = await web('lib/login.js');
const sodium = await loadSodium();

let instance;
before(async () => {
  instance = await startInstance({ powDifficulty: 8 });
});
after(async () => instance?.stop());

const api = (path) => `${instance.baseUrl}api/v1/${path}`;

async function json(answer, status) {
  const text = await answer.text();
  assert.equal(answer.status(), status, `${answer.url()}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Posts a report with reply keys, as the phone page does when she wants to hear back. */
async function postReport(request, draft) {
  const config = await json(await request.get(api('config')), 200);
  const { body } = report.buildReport(sodium, config, draft);
  assert.ok(body.reply, 'the report carries reply keys');
  const ticket = await json(await request.get(api('pow')), 200);
  const nonce = pow.search(decode(ticket.token), ticket.difficulty, 0, 1 << 24);
  body.pow = { token: ticket.token, nonce: encode(nonce) };
  return { config, id: (await json(await request.post(api('reports'), { data: body }), 201)).id };
}

/** The reporter's side, in node: her receipt's keys and a mailbox token signed for this origin. */
async function reporterOf(request, keys) {
  const { challenge } = await json(await request.post(api('auth/challenge'), { data: {} }), 200);
  const signed = mailboxLoginMessage(new URL(instance.baseUrl).origin, decode(challenge));
  const body = { mailbox_pk: encode(keys.mailbox.publicKey), challenge, signature: encode(sodium.crypto_sign_detached(signed, keys.mailbox.privateKey)) };
  const { token } = await json(await request.post(api('auth/mailbox'), { data: body }), 200);
  const headers = { authorization: `Bearer ${token}` };
  return {
    async send(reportId, text, n) {
      const config = await json(await request.get(api('config')), 200);
      const care = config.desks.find((d) => d.id === 'care');
      const sealed = message.sealReporterMessage(sodium, {
        reportId, deskKeys: { care: { key_id: care.key_id, public_key: care.public_key } },
        boxPk: keys.box.publicKey, mailboxSk: keys.mailbox.privateKey, text, lang: 'nl', n, buckets: config.padding_buckets,
      });
      return json(await request.post(api('mailbox/messages'), { data: sealed, headers }), 201);
    },
    async read() {
      const config = await json(await request.get(api('config')), 200);
      const deskPublicKeys = {};
      for (const d of config.desks) {
        for (const k of [{ key_id: d.key_id, public_key: d.public_key }, ...(d.previous_keys ?? [])]) deskPublicKeys[k.key_id] = { desk: d.id, public_key: decode(k.public_key) };
      }
      const box = await json(await request.get(api('mailbox'), { headers }), 200);
      return box.messages.map((m) => message.openAsReporter(sodium, m, { boxPk: keys.box.publicKey, boxSk: keys.box.privateKey, mailboxPk: keys.mailbox.publicKey, deskPublicKeys }));
    },
    withdraw: async (reportId) => json(await request.delete(api(`mailbox/reports/${reportId}`), { headers }), 204),
  };
}

/** Someone who can write the database, with the sqlite3 shell beside the running server. */
function sql(statement) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', join(instance.dir, 'signaal.db'), statement], { encoding: 'utf8' });
}
const hex = (bytes) => `X'${Buffer.from(bytes).toString('hex')}'`;

/** Inserts a message "from the reporter" to care, sealed right but signed with another key. */
function insertForgedMessage(reportId, careKey, buckets) {
  const forger = sodium.crypto_sign_keypair();
  const body = message.sealReporterMessage(sodium, {
    reportId, deskKeys: { care: { key_id: careKey.key_id, public_key: careKey.public_key } }, boxPk: sodium.crypto_box_keypair().publicKey,
    mailboxSk: forger.privateKey, text: 'Vals bericht: bel me op 06-12345678', lang: 'nl', n: 3, buckets,
  });
  const id = sodium.randombytes_buf(16);
  const report = `(SELECT no FROM reports WHERE id = ${hex(decode(reportId))})`;
  sql(`BEGIN;
INSERT INTO messages (no, id, report_no, day, sender, recipients, nonce, ciphertext, signature)
  VALUES ((SELECT coalesce(max(no), 0) + 1 FROM messages), ${hex(id)}, ${report}, (SELECT received_day FROM reports WHERE id = ${hex(decode(reportId))}),
          'reporter', 'care,reporter', ${hex(decode(body.nonce))}, ${hex(decode(body.ciphertext))}, ${hex(decode(body.signature))});
INSERT INTO message_envelopes (message_no, recipient, key_id, sealed)
  VALUES ((SELECT no FROM messages WHERE id = ${hex(id)}), 'care', ${hex(decode(careKey.key_id))}, ${hex(decode(body.envelopes.care.sealed))});
COMMIT;`);
  return encode(id);
}

async function signIn(page) {
  await page.goto(`${instance.baseUrl}desk/`);
  await page.waitForSelector('main[data-screen="open"] #key-file');
  await page.setInputFiles('#key-file', join(instance.dir, 'keys', 'staff-care-demo.json'));
  await page.waitForSelector('#unlocked-warning', { state: 'visible' });
  await page.click('form.open button[type="submit"]');
  await page.waitForSelector('main[data-screen="inbox"]', { timeout: 30000 });
  await page.waitForFunction(() => document.getElementById('live')?.dataset.state === 'live', null, { timeout: 30000 });
}

/** Opens a signal from the list by keyboard, and waits for its messages to be drawn. */
async function openSignal(page, id) {
  const button = `table.signals tbody tr[data-id="${id}"] button:not([disabled])`;
  await page.waitForSelector(button, { timeout: 30000 });
  await page.focus(button);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`article.report[data-id="${id}"] .messages`);
}

async function reopen(page, id) {
  await page.click('#report-close');
  await page.waitForSelector('article.report', { state: 'detached' });
  await openSignal(page, id);
}

const verdicts = (page) => page.$$eval('#message-list > li', (els) => els.map((e) => `${e.dataset.sender}:${e.dataset.verdict}`));

test('caseworker: reads a checked reporter message, replies, sees a forged one rejected, refuses swapped keys, loses a withdrawn signal', async () => {
  const { context, close } = await launch({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const errors = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

    const keys = receiptKeys(sodium, sodium.randombytes_buf(10));
    const reply = { box_pk: encode(keys.box.publicKey), mailbox_pk: encode(keys.mailbox.publicKey) };
    const { config, id } = await postReport(context.request, {
      lang: 'nl', role: 'sex_worker', category: 'physical_violence', text: 'Een klant sloeg me. Ik wil horen wat jullie doen.', consent: ['care'], reply, writtenAt: '2026-11-29',
    });
    const reporter = await reporterOf(context.request, keys);
    await reporter.send(id, 'Is mijn signaal aangekomen?', 1);

    await signIn(page);
    await openSignal(page, id);
    assert.deepEqual(await verdicts(page), ['reporter:verified']);
    assert.equal(await page.textContent('#message-list > li .message-text'), 'Is mijn signaal aangekomen?');
    assert.match(await page.textContent('#message-list > li .verdict'), /reporter’s own key: checked/);

    // The reply, from the keyboard.
    await page.focus('#reply-text');
    await page.keyboard.type('Ja, wij hebben het gelezen. Wil je vertellen waar het was?');
    await page.focus('#reply-send');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !['', 'Sending…'].includes(document.getElementById('reply-message')?.textContent ?? ''), null, { timeout: 30000 });
    assert.equal(await page.textContent('#reply-message'), 'Reply sent.');
    await page.waitForFunction(() => document.querySelectorAll('#message-list > li').length === 2);
    assert.deepEqual(await verdicts(page), ['reporter:verified', 'desk:care:desk']);
    assert.equal(await page.inputValue('#reply-text'), '', 'the sent draft is cleared');

    const read = await reporter.read();
    const fromCare = read.filter((m) => m.sender === 'desk:care');
    assert.deepEqual(fromCare, [{ status: 'ok', sender: 'desk:care', text: 'Ja, wij hebben het gelezen. Wil je vertellen waar het was?', lang: 'nl', n: 1 }]);

    // Her answer arrives on the stream while the signal is open: it shows without a click.
    await reporter.send(id, 'Bij de haven, gisteravond.', 2);
    await page.waitForFunction(() => document.querySelectorAll('#message-list > li').length === 3, null, { timeout: 30000 });
    assert.deepEqual(await verdicts(page), ['reporter:verified', 'desk:care:desk', 'reporter:verified']);
    await audit(page, 'signal with messages');
    await shoot(page, 'desk-messages');

    // While the list is shown, a message marks its signal.
    await page.click('#report-close');
    await reporter.send(id, 'Nog een vraag.', 3);
    await page.waitForSelector(`tr[data-id="${id}"][data-new-message="true"]`, { timeout: 30000 });
    assert.match(await page.textContent('#live'), /New message on a signal for/);
    await openSignal(page, id);
    assert.equal(await page.getAttribute(`tr[data-id="${id}"]`, 'data-new-message'), null, 'opening it clears the mark');

    // A message inserted into the database "from the reporter", signed with another key.
    const careKey = config.desks.find((d) => d.id === 'care');
    const forged = insertForgedMessage(id, careKey, config.padding_buckets);
    await reopen(page, id);
    const forgedItem = page.locator(`#message-list > li[data-id="${forged}"]`);
    assert.equal(await forgedItem.getAttribute('data-verdict'), 'rejected');
    assert.match(await forgedItem.textContent(), /Rejected: .* It is not from her\./);
    assert.equal(await forgedItem.locator('.message-text').count(), 0, 'no word of it is shown');
    assert.ok(!(await page.textContent('article.report')).includes('06-12345678'));
    await shoot(page, 'desk-messages-rejected');

    // Reply keys swapped in the database: the signal is marked and the form is gone.
    sql(`UPDATE reports SET reply_box_pk = ${hex(sodium.crypto_box_keypair().publicKey)} WHERE id = ${hex(decode(id))};`);
    await reopen(page, id);
    await page.waitForSelector('#reply-keys-differ');
    assert.match(await page.textContent('#reply-keys-differ'), /differ from the keys the reporter sealed/);
    assert.equal(await page.locator('#reply-text').count(), 0, 'no reply form');
    assert.equal(await page.locator('#keys-differ-mark').count(), 1);
    assert.match(await page.textContent(`tr[data-id="${id}"] .status-cell`), /reply keys changed/);
    await audit(page, 'swapped reply keys');
    await shoot(page, 'desk-reply-keys-differ');

    // She withdraws: the open signal closes, leaves the list, and a notice says so.
    await reporter.withdraw(id);
    await page.waitForSelector(`tr[data-id="${id}"]`, { state: 'detached', timeout: 30000 });
    assert.equal(await page.locator('article.report').count(), 0, 'the open signal is gone');
    assert.equal(await page.textContent('#live'), 'Live: new signals appear at once. The reporter withdrew a report.');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'inbox-title', 'focus goes to the list heading');
    assert.deepEqual(errors, [], 'no script or CSP errors');
  } finally {
    await close();
  }
});
