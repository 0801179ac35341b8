// The phone page in Chromium against a real signaal-server on loopback: send a report in
// Dutch at 360×640 for care only and open it with the care desk's key; count only sends
// no text; nothing stays in the browser; quick exit from the keyboard on every screen;
// too-long text and network failures; a text exactly at the counter's limit is sent; a
// desk key rotated while the page is open; hearing back (off by default; on, a receipt is
// shown and copied before sending, and its keys travel in `reply` and sealed inside; never
// for a count-only report); the follow-up link on every screen; screenshots of every step
// in Dutch and English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from './lib/browser.mjs';
import { rotateDeskKey } from './lib/desk-holder.mjs';
import { atStep, next, overflowsSideways, screenshotDir, shoot, shownReceipt, smallTargets, walk } from './lib/flow.mjs';
import { startInstance } from './lib/instance.mjs';
import { loadSodium, webDir } from './lib/modules.mjs';
import { anyEnvelopeOpens, openReport } from './lib/open-report.mjs';

const nl = JSON.parse(readFileSync(join(webDir, 'i18n/nl.json'), 'utf8'));
const en = JSON.parse(readFileSync(join(webDir, 'i18n/en.json'), 'utf8'));
const receipts = await import(join(webDir, 'src/lib/receipt.js'));
const sodium = await loadSodium();
const receiptPattern = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;
let instance;
let exitUrl;
let config;

before(async () => {
  instance = await startInstance({ powDifficulty: 8, deskKeyGraceDays: 0 });
  const { context, close } = await launch();
  config = await (await context.request.get(`${instance.baseUrl}api/v1/config`)).json();
  await close();
  exitUrl = config.quick_exit_url;
  assert.match(exitUrl ?? '', /^https:\/\//, 'the config names a quick exit url');
});
after(async () => instance?.stop());

/** A page that records what it sends, and refuses (and records) any other origin. */
async function openPage(options) {
  const browser = await launch(options);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const origin = new URL(instance.baseUrl).origin;
  const seen = { posts: [], foreign: [], cookies: [], errors: [], responses: [] };
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && seen.errors.push(m.text()));
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== origin && r.url() !== exitUrl) seen.foreign.push(r.url());
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/reports')) seen.posts.push({ body: r.postData() });
  });
  page.on('response', async (r) => {
    seen.responses.push(r);
    const h = await r.allHeaders();
    if (h['set-cookie']) seen.cookies.push(r.url());
    if (r.request().method() === 'POST' && r.url().endsWith('/api/v1/reports')) {
      const post = seen.posts.find((p) => p.status === undefined);
      if (post) post.status = r.status();
    }
  });
  // The neutral site is another origin: answer it here, so no request leaves the machine.
  await browser.context.route(`${new URL(exitUrl).origin}/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>neutral</title><p>neutral</p>' }));
  return { ...browser, page, seen };
}

async function assertNothingStored({ context, page }) {
  assert.deepEqual(await context.cookies(), [], 'no cookies');
  const storage = await page.evaluate(async () => ({
    local: window.localStorage.length,
    session: window.sessionStorage.length,
    idb: (await indexedDB.databases()).map((d) => d.name),
    caches: 'caches' in window ? (await caches.keys()).length : 0,
  }));
  assert.deepEqual(storage, { local: 0, session: 0, idb: [], caches: 0 }, 'no web storage');
}

const careReport = {
  role: 'sex_worker',
  category: 'physical_violence',
  text: 'Klant werd agressief bij de deur en sloeg me. Auto: blauw, kenteken begint met 12-AB. "Let op" — ✓',
  when: 'yesterday',
  where: 'Havenkwartier',
  desks: ['care'],
};

test('Dutch, 360×640: a report for care only opens with the care key to exactly the typed text; police has no envelope', async () => {
  const b = await openPage({ locale: 'nl-NL' });
  try {
    const { page } = b;
    await walk(page, instance.baseUrl, careReport, {
      onStep: async (step) => {
        assert.equal(await page.getAttribute('html', 'lang'), 'nl');
        assert.deepEqual(await smallTargets(page), [], `touch targets on ${step}`);
        assert.equal(await overflowsSideways(page), false, `no sideways scroll on ${step}`);
        assert.equal(await page.getAttribute('#follow-up-link', 'href'), '/follow-up', `follow-up link on ${step}`);
        assert.equal(await page.textContent('#follow-up-link'), nl['bar.follow_up']);
        if (step === 'reply') assert.equal(await page.isChecked('#hear-back'), false, 'hearing back is off by default');
        await shoot(page, `nl-${step}`);
        if (step === 'review') {
          // The instance's own Dutch desk names, else the page's translation.
          const name = (id) => config.desks.find((d) => d.id === id).name?.nl ?? nl[`desk.${id}.name`];
          const readers = await page.textContent('.readers');
          assert.ok(readers.includes(name('care')) && !readers.includes(name('police')), readers);
        }
      },
    });
    await page.click('#help-button');
    await atStep(page, 'help');
    await shoot(page, 'nl-help');

    assert.equal(b.seen.posts.length, 1);
    assert.equal(b.seen.posts[0].status, 201);
    const body = JSON.parse(b.seen.posts[0].body);
    assert.deepEqual(body.consent, ['care']);
    assert.deepEqual(body.desks, ['care']);
    assert.deepEqual(Object.keys(body.sealed.envelopes), ['care']);
    assert.equal(body.reply, undefined, 'hearing back was left off');
    assert.ok(!b.seen.posts[0].body.includes('agressief'), 'the text never travels in clear');
    const plain = openReport(body, instance.deskKey('care'));
    assert.equal(plain.text, careReport.text);
    assert.equal(plain.lang, 'nl');
    assert.equal(plain.when, 'yesterday');
    assert.equal(plain.where, 'Havenkwartier');
    assert.equal(plain.reply, undefined);
    assert.match(plain.written_at, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(anyEnvelopeOpens(body, instance.deskKey('police')), false, 'police key opens nothing');
    assert.equal(anyEnvelopeOpens(body, instance.deskKey('municipality')), false);

    // Everything this whole flow fetched, as transferred (compressed), headers included.
    let bytes = 0;
    for (const r of b.seen.responses) {
      const sizes = await r.request().sizes();
      bytes += sizes.responseBodySize + sizes.responseHeadersSize;
    }
    console.log(`whole Dutch flow, transferred: ${(bytes / 1024).toFixed(1)} KB in ${b.seen.responses.length} responses`);
    assert.ok(bytes <= 400 * 1024, `whole flow ${bytes} bytes > 400 KB`);

    await assertNothingStored(b);
    assert.deepEqual(b.seen.cookies, [], 'no Set-Cookie');
    assert.deepEqual(b.seen.foreign, [], 'no request to another origin');
    assert.deepEqual(b.seen.errors, [], 'no script or CSP errors');
  } finally {
    await b.close();
  }
});

test('English: a count-only report sends no text at all; screenshots of every step', async () => {
  const b = await openPage({ locale: 'en-GB' });
  try {
    const { page } = b;
    const secret = 'COUNT-ONLY-SECRET words that must never leave the phone';
    await walk(page, instance.baseUrl, { role: 'peer_expert', category: 'health', text: secret, desks: [] }, {
      onStep: async (step) => {
        assert.equal(await page.getAttribute('html', 'lang'), 'en');
        assert.deepEqual(await smallTargets(page), [], `touch targets on ${step}`);
        await shoot(page, `en-${step}`);
        if (step === 'who') {
          // Police cannot receive health reports, and nothing is ticked by default.
          assert.equal(await page.isDisabled('#desk-police'), true);
          assert.equal(await page.isChecked('#desk-care'), false);
          assert.equal(await page.locator('input[name="consent"]:checked').count(), 0, 'nothing ticked by default');
          assert.match(await page.textContent('.summary'), /only counted/);
        }
        if (step === 'reply') {
          // Nobody receives it, so nobody can answer: no choice, and the page says why.
          assert.equal(await page.locator('#hear-back').count(), 0);
          assert.equal(await page.textContent('.readers'), en['reply.count_only']);
          assert.equal(await page.getAttribute('#follow-up-link', 'href'), '/follow-up');
        }
      },
    });
    await page.click('#help-button');
    await atStep(page, 'help');
    await shoot(page, 'en-help');
    assert.equal(b.seen.posts.length, 1);
    assert.equal(b.seen.posts[0].status, 201);
    const raw = b.seen.posts[0].body;
    assert.ok(!raw.includes('COUNT-ONLY'), 'no text in the request body');
    const body = JSON.parse(raw);
    assert.equal(body.reply, undefined, 'a count-only report never carries reply keys');
    assert.deepEqual(Object.keys(body).sort(), ['category', 'consent', 'desks', 'pow', 'role', 'v']);
    assert.deepEqual(body.desks, []);
    assert.deepEqual(body.consent, []);
    await assertNothingStored(b);
    assert.deepEqual(b.seen.foreign, []);
    assert.deepEqual(b.seen.errors, []);
  } finally {
    await b.close();
  }
});

test('hearing back: the receipt is shown and copied before sending, and its keys travel in reply and inside the sealed report', async () => {
  const b = await openPage({ locale: 'en-GB' });
  try {
    const { page, context } = b;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(instance.baseUrl).origin });
    await walk(page, instance.baseUrl, careReport, { until: 'reply' });
    assert.equal(await page.isChecked('#hear-back'), false, 'off by default');
    assert.equal(await page.locator('.receipt').count(), 0, 'no code until she asks for one');
    assert.ok((await page.textContent('main')).includes(en['reply.choice_hint']), 'the cost is said before she chooses');
    await shoot(page, 'en-reply');

    await page.check('#hear-back');
    await page.waitForSelector('.receipt[data-code]');
    const first = await shownReceipt(page);
    // Turned off and on again: a new code, so a code she did not keep is never used.
    await page.uncheck('#hear-back');
    assert.equal(await page.locator('.receipt').count(), 0);
    await page.check('#hear-back');
    await page.waitForSelector('.receipt[data-code]');
    const code = await shownReceipt(page);
    assert.match(code, receiptPattern);
    assert.notEqual(code, first);
    // Shown in groups of four, with the warning that nobody can recover it.
    assert.deepEqual(await page.locator('.receipt .receipt-group').allTextContents(), code.split('-'));
    assert.ok((await page.textContent('main')).includes(en['reply.warning']));

    await page.click('.receipt-card .copy');
    await page.waitForFunction((t) => document.querySelector('.receipt-card [role="status"]')?.textContent === t, en['reply.copied']);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code, 'the copy button copies the code');

    // Not yet confirmed as kept: she stays, told why, with focus on the confirmation.
    await page.click('main .nav .primary');
    await page.waitForFunction((t) => document.querySelector('.error:not([hidden])')?.textContent === t, en['reply.kept_required']);
    assert.equal(await page.getAttribute('main', 'data-step'), 'reply');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'receipt-kept');
    assert.deepEqual(await smallTargets(page), []);
    assert.equal(await overflowsSideways(page), false);
    await shoot(page, 'en-reply-receipt');
    await page.check('#receipt-kept');
    assert.equal(b.seen.posts.length, 0, 'nothing is sent before she has kept the code');

    await next(page, 'review');
    assert.ok((await page.textContent('.review')).includes(code), 'the review names the code');
    await next(page, 'done');
    assert.equal(await shownReceipt(page), code, 'the done screen shows the same code again');
    assert.equal(await page.getAttribute('main a[href="/follow-up"]', 'href'), '/follow-up');
    assert.ok((await page.textContent('main')).includes(en['done.reply_contact']));
    assert.ok(!(await page.textContent('main')).includes(en['done.no_contact']));
    assert.deepEqual(await smallTargets(page), []);
    await shoot(page, 'en-done-reply');

    assert.deepEqual(b.seen.posts.map((p) => p.status), [201]);
    const body = JSON.parse(b.seen.posts[0].body);
    const keys = receipts.receiptKeys(sodium, receipts.parseReceipt(code.toLowerCase().replaceAll('-', ' ')));
    const expected = { box_pk: sodium.to_base64(keys.box.publicKey, sodium.base64_variants.URLSAFE_NO_PADDING), mailbox_pk: sodium.to_base64(keys.mailbox.publicKey, sodium.base64_variants.URLSAFE_NO_PADDING) };
    assert.deepEqual(body.reply, expected, 'the posted reply keys are the shown code\'s');
    const plain = openReport(body, instance.deskKey('care'));
    assert.deepEqual(plain.reply, expected, 'the same keys are sealed inside the report');
    assert.equal(plain.text, careReport.text);
    await assertNothingStored(b);
    assert.deepEqual(b.seen.foreign, []);
    assert.deepEqual(b.seen.errors, []);
  } finally {
    await b.close();
  }
});

test('hearing back turned on, then every desk unticked: count only, the choice is gone and no reply keys are sent', async () => {
  const b = await openPage({ locale: 'nl-NL' });
  try {
    const { page } = b;
    await walk(page, instance.baseUrl, { ...careReport, hearBack: true }, { until: 'reply' });
    assert.match(await shownReceipt(page), receiptPattern);
    await page.click('main .nav .secondary');
    await atStep(page, 'who');
    await page.uncheck('#desk-care');
    await next(page, 'reply');
    assert.equal(await page.locator('#hear-back').count(), 0);
    assert.equal(await page.locator('.receipt').count(), 0);
    assert.equal(await page.textContent('.readers'), nl['reply.count_only']);
    await next(page, 'review');
    await next(page, 'done');
    assert.equal(await page.locator('.receipt').count(), 0, 'no code on the done screen');
    assert.deepEqual(b.seen.posts.map((p) => p.status), [201]);
    const body = JSON.parse(b.seen.posts[0].body);
    assert.deepEqual(Object.keys(body).sort(), ['category', 'consent', 'desks', 'pow', 'role', 'v']);
  } finally {
    await b.close();
  }
});

test('quick exit from the keyboard on every step: Escape, and the button by Tab and Enter', async () => {
  const b = await openPage({ locale: 'nl-NL' });
  try {
    const { page } = b;
    const report = { ...careReport, desks: ['care', 'municipality'] };
    for (const step of ['language', 'role', 'what', 'who', 'reply', 'review', 'done', 'help']) {
      for (const how of ['escape', 'button']) {
        await walk(page, instance.baseUrl, report, { until: step === 'help' ? 'language' : step });
        if (step === 'help') {
          await page.click('#help-button');
          await atStep(page, 'help');
        }
        if (how === 'escape') {
          // From inside the text box too, where a person would be typing.
          if (step === 'what') await page.focus('textarea[name="text"]');
          await page.keyboard.press('Escape');
        } else {
          // Keyboard only: from the step's heading (where focus lands on each step),
          // Shift+Tab reaches the button within three presses; Enter presses it.
          await page.focus('main h1');
          for (let i = 0; i < 3 && (await page.evaluate(() => document.activeElement?.id)) !== 'quick-exit'; i++) {
            await page.keyboard.press('Shift+Tab');
          }
          assert.equal(await page.evaluate(() => document.activeElement?.id), 'quick-exit', `Shift+Tab reaches quick exit on ${step}`);
          await page.keyboard.press('Enter');
        }
        await page.waitForURL(exitUrl, { timeout: 10000 });
        assert.equal(await page.textContent('p'), 'neutral', `${how} on ${step}`);
      }
    }
  } finally {
    await b.close();
  }
});

test('the proof of work runs in a Web Worker, shows progress, and the page stays responsive', async () => {
  // A second instance with real work to do: 2^18 hashes expected.
  const hard = await startInstance({ powDifficulty: 18 });
  const b = await openPage({ locale: 'en-GB' });
  try {
    const { page } = b;
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    await walk(page, hard.baseUrl, { ...careReport, desks: ['care'] }, { until: 'review' });
    await page.evaluate(() => {
      // Record every progress message, and the longest gap between timer ticks.
      window.seenStatus = [];
      new MutationObserver(() => window.seenStatus.push(document.querySelector('.status').textContent))
        .observe(document.querySelector('.status'), { childList: true, characterData: true, subtree: true });
      window.longestGap = 0;
      let last = performance.now();
      window.ticker = setInterval(() => {
        const now = performance.now();
        window.longestGap = Math.max(window.longestGap, now - last);
        last = now;
      }, 20);
    });
    await page.click('main .nav .primary');
    await atStep(page, 'done');
    const { seenStatus, longestGap } = await page.evaluate(() => {
      clearInterval(window.ticker);
      return { seenStatus: window.seenStatus, longestGap: window.longestGap };
    });
    assert.ok(workers.some((u) => u.endsWith('/pow-worker.js')), `a worker ran: ${workers}`);
    assert.ok(seenStatus.some((s) => /check against spam: \d+%/.test(s)), `progress shown: ${seenStatus}`);
    assert.ok(longestGap < 500, `the page froze for ${Math.round(longestGap)} ms`);
    console.log(`proof of work at difficulty 18: ${seenStatus.length} progress updates, longest main-thread gap ${Math.round(longestGap)} ms`);
    assert.equal(b.seen.posts.at(-1).status, 201);
  } finally {
    await b.close();
    await hard.stop();
  }
});

test('a too-long text is stopped before sending, with a message', async () => {
  const b = await openPage({ locale: 'nl-NL' });
  try {
    const { page } = b;
    await walk(page, instance.baseUrl, { ...careReport, text: 'x'.repeat(70000) }, { until: 'what' });
    assert.equal(await page.isVisible('.error >> nth=1'), true);
    assert.equal(await page.textContent('.counter.over') !== null, true);
    await page.click('main .nav .primary');
    await atStep(page, 'what');
    assert.ok((await page.textContent('main')).includes(nl['what.too_long']));
    await page.fill('textarea[name="text"]', 'kort');
    await next(page, 'who');
    assert.equal(b.seen.posts.length, 0);
  } finally {
    await b.close();
  }
});

test('a text exactly at the counter\'s limit is sent and opens; one character more is stopped', async () => {
  const b = await openPage({ locale: 'en-GB' });
  try {
    const { page } = b;
    await walk(page, instance.baseUrl, { ...careReport, text: '' }, { until: 'what' });
    // "Space used: 1,234 of 65,452": the two numbers, without their group separators.
    const counted = async () => (await page.textContent('.counter')).match(/\d[\d,.\u00a0\u202f ]*\d|\d/g)
      .map((n) => Number(n.replace(/\D/g, '')));
    const [, max] = await counted();
    assert.ok(max > 60000 && max < 65536, `the counter's limit: ${max}`);
    await page.fill('textarea[name="text"]', `${'x'.repeat(max)}y`);
    assert.equal(await page.locator('.counter.over').count(), 1, 'one byte over the limit shows as over');
    const atLimit = `${'é'.repeat(10)}${'x'.repeat(max - 20)}`;
    await page.fill('textarea[name="text"]', atLimit);
    assert.deepEqual(await counted(), [max, max]);
    assert.equal(await page.locator('.counter.over').count(), 0);
    await next(page, 'who');
    await page.check('#desk-care');
    await next(page, 'reply');
    await next(page, 'review');
    await next(page, 'done');
    assert.deepEqual(b.seen.posts.map((p) => p.status), [201]);
    const body = JSON.parse(b.seen.posts[0].body);
    assert.equal(openReport(body, instance.deskKey('care')).text, atLimit);
  } finally {
    await b.close();
  }
});

test('a desk key rotated while the page is open: the page fetches the new key and sends the same text, which the new key opens', async () => {
  const b = await openPage({ locale: 'nl-NL' });
  const rotated = { ...careReport, text: 'Na de sleutelwissel: dezelfde tekst, zonder kopiëren.', desks: ['care', 'police'] };
  try {
    const { page } = b;
    const configFetches = () => b.seen.responses.filter((r) => r.url().endsWith('/api/v1/config')).length;
    await walk(page, instance.baseUrl, rotated, { until: 'review' });
    const oldKey = instance.deskKey('police');
    const oldKeyId = config.desks.find((d) => d.id === 'police').key_id;
    assert.equal(configFetches(), 1);

    // The police desk's holder rotates its key (the instance's grace period is 0
    // days): from the upload's 201 on, the old key is refused and the new one served.
    const newKey = await rotateDeskKey(instance, 'police');
    const served = await (await b.context.request.get(`${instance.baseUrl}api/v1/config`)).json();
    assert.equal(served.desks.find((d) => d.id === 'police').key_id, newKey.key_id);

    await page.click('main .nav .primary');
    await atStep(page, 'done');
    assert.deepEqual(b.seen.posts.map((p) => p.status), [409, 201], 'refused once for the old key, then accepted');
    assert.equal(configFetches(), 2, 'the page fetched the configuration again');
    const [refused, sent] = b.seen.posts.map((p) => JSON.parse(p.body));
    assert.equal(refused.sealed.envelopes.police.key_id, oldKeyId);
    assert.notEqual(sent.sealed.envelopes.police.key_id, oldKeyId);
    assert.deepEqual(sent.desks, ['care', 'police']);
    assert.equal(openReport(sent, { ...newKey, desk: 'police' }).text, rotated.text, 'the new key opens the same text');
    assert.equal(anyEnvelopeOpens(sent, oldKey), false, 'the old key opens nothing');
    assert.equal(openReport(sent, instance.deskKey('care')).text, rotated.text);
    assert.equal(sent.reply, undefined);
    assert.deepEqual(b.seen.errors.filter((e) => !/409/.test(e)), []);
    await shoot(page, 'nl-done-after-rotation');
  } finally {
    await b.close();
  }
});

test('Thai and Spanish: the done page gives the server\'s day in the reader\'s own form (Thai in the Buddhist era), desk lists with their own "and"', async () => {
  for (const [locale, lang] of [['th-TH', 'th'], ['es-MX', 'es']]) {
    const b = await openPage({ locale });
    try {
      const { page } = b;
      await walk(page, instance.baseUrl, { ...careReport, desks: ['care', 'municipality'] }, { until: 'review' });
      const readers = await page.textContent('.readers');
      const and = { th: 'และ', es: ' y ' }[lang];
      assert.ok(readers.includes(and), `${lang} readers joined by "${and}": ${readers}`);
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/reports') && r.request().method() === 'POST');
      await next(page, 'done');
      const day = (await (await answer).json()).received_day;
      const [y, m, d] = day.split('-').map(Number);
      const text = await page.textContent('main');
      assert.ok(!text.includes(day), `no raw ${day} on the ${lang} done page`);
      if (lang === 'th') {
        assert.ok(text.includes(String(y + 543)), `Buddhist-era year ${y + 543} shown`);
        assert.ok(!text.includes(String(y)), `no Gregorian year ${y} shown`);
      } else {
        const month = new Intl.DateTimeFormat('es', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
        assert.ok(text.includes(`${d} de ${month} de ${y}`), `Spanish date "${d} de ${month} de ${y}" shown`);
      }
      await shoot(page, `${lang}-done`);
    } finally {
      await b.close();
    }
  }
});

test('a network failure or a server error keeps everything typed; retry sends it', async () => {
  const b = await openPage({ locale: 'nl-NL' });
  try {
    const { page, context } = b;
    await walk(page, instance.baseUrl, careReport, { until: 'review' });
    // First the network fails for the proof-of-work token...
    await context.route('**/api/v1/pow', (route) => route.abort('internetdisconnected'));
    await page.click('main .nav .primary');
    await page.waitForSelector('.error:not([hidden])');
    assert.ok((await page.textContent('.error:not([hidden])')).includes(nl['error.network']));
    await context.unroute('**/api/v1/pow');
    // ...then the server is busy: its code becomes a Dutch sentence, never its English message.
    await context.route('**/api/v1/reports', (route) =>
      route.fulfill({ status: 429, contentType: 'application/json', body: '{"error":{"code":"busy","message":"server busy"}}' }));
    await page.click('main .nav .primary');
    await page.waitForFunction((t) => document.querySelector('.error:not([hidden])')?.textContent.includes(t), nl['error.busy']);
    assert.ok(!(await page.textContent('main')).includes('server busy'));
    await context.unroute('**/api/v1/reports');
    await page.click('main .nav .primary');
    await atStep(page, 'done');
    const sent = b.seen.posts.filter((p) => p.status === 201);
    assert.equal(sent.length, 1);
    assert.equal(openReport(JSON.parse(sent[0].body), instance.deskKey('care')).text, careReport.text);
  } finally {
    await b.close();
  }
});

test('the answer to a report with her reply keys is lost: the retry hears reply_in_use, which counts as sent, with her code', async () => {
  const b = await openPage({ locale: 'en-GB' });
  try {
    const { page, context } = b;
    let code = null;
    await walk(page, instance.baseUrl, { ...careReport, hearBack: true }, {
      until: 'review',
      onStep: async (step) => {
        if (step === 'reply') code = await shownReceipt(page);
      },
    });
    assert.match(code, receiptPattern);
    const stored = [];
    let tries = 0;
    await context.route('**/api/v1/reports', async (route) => {
      tries += 1;
      if (tries === 1) {
        // The server stores the report, but its answer never reaches the phone.
        stored.push((await route.fetch()).status());
        await route.abort('connectionreset');
      } else {
        // What the server answers when these reply keys already serve a stored report.
        await route.fulfill({ status: 409, contentType: 'application/json', body: '{"error":{"code":"reply_in_use","message":"reply keys in use"}}' });
      }
    });
    await page.click('main .nav .primary');
    await page.waitForSelector('.error:not([hidden])');
    assert.deepEqual(stored, [201]);
    await page.click('main .nav .primary');
    await atStep(page, 'done');
    assert.equal(tries, 2);
    assert.equal(await shownReceipt(page), code, 'her code, to read answers to the stored report');
    assert.ok(!(await page.textContent('main')).includes('reply keys in use'));
    await context.unroute('**/api/v1/reports');
  } finally {
    await b.close();
  }
});

test('the first visit follows Accept-Language; the picker switches language and keeps what was typed', async () => {
  for (const [locale, lang] of [['ro-RO', 'ro'], ['pt-PT', 'pt-BR'], ['th-TH', 'th'], ['de-DE', 'en']]) {
    const b = await openPage({ locale });
    try {
      await b.page.goto(instance.baseUrl);
      await atStep(b.page, 'language');
      assert.equal(await b.page.getAttribute('html', 'lang'), lang, locale);
    } finally {
      await b.close();
    }
  }
  const b = await openPage({ locale: 'en-US' });
  try {
    const { page } = b;
    await walk(page, instance.baseUrl, careReport, { until: 'what' });
    await page.selectOption('#lang-picker', 'bg');
    await page.waitForFunction(() => document.documentElement.lang === 'bg');
    assert.equal(await page.inputValue('textarea[name="text"]'), careReport.text);
    assert.equal(await page.isChecked('#category-physical_violence'), true);
    await shoot(page, 'bg-what');
  } finally {
    await b.close();
  }
});

test('the server sends the page compressed, with the security headers', async () => {
  const { context, close } = await launch();
  try {
    for (const [path, type] of [['', 'text/html'], ['app.js', 'javascript'], ['app.css', 'text/css'], ['i18n/nl.json', 'json']]) {
      const r = await context.request.get(`${instance.baseUrl}${path}`, { headers: { 'Accept-Encoding': 'br, gzip' } });
      const h = r.headers();
      assert.equal(r.status(), 200, path);
      assert.match(h['content-type'], new RegExp(type), path);
      assert.ok(['br', 'gzip'].includes(h['content-encoding']), `${path} compressed: ${h['content-encoding']}`);
      assert.match(h['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval';/);
      assert.doesNotMatch(h['content-security-policy'], /unsafe-inline|'unsafe-eval'/);
      assert.equal(h['cache-control'], 'no-store');
      assert.equal(h['referrer-policy'], 'no-referrer');
      assert.equal(h['set-cookie'], undefined);
    }
  } finally {
    await close();
  }
  console.log(`screenshots in ${screenshotDir}`);
});
