// axe-core on every screen of the phone page at 360×640, in Dutch and in Thai (a
// second script), including the error states and hearing back (the receipt before
// sending and on the done screen, the unconfirmed receipt, the count-only reply step):
// no serious or critical violation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './lib/browser.mjs';
import { atStep, shoot, walk } from './lib/flow.mjs';
import { startInstance } from './lib/instance.mjs';
import { audit } from './lib/axe.mjs';

let instance;
before(async () => {
  instance = await startInstance({ powDifficulty: 8 });
});
after(async () => instance?.stop());

const report = { role: 'sex_worker', category: 'threats', text: 'Bedreigd bij de ingang.', when: 'today', where: 'Centrum', desks: ['care', 'police'], hearBack: true };

for (const locale of ['nl-NL', 'th-TH']) {
  test(`${locale}: every step, the help page and the error states`, async () => {
    const { context, close } = await launch({ locale });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const lang = locale.split('-')[0];
      await walk(page, instance.baseUrl, report, {
        onStep: async (step) => {
          await audit(page, `${locale} ${step}`);
          // Dutch and English are shot by browser_flow; here the second script, Thai.
          if (lang === 'th') await shoot(page, `th-${step}`);
        },
      });
      await page.click('#help-button');
      await atStep(page, 'help');
      await audit(page, `${locale} help`);

      // Validation errors shown on the role and what steps.
      await page.goto(instance.baseUrl);
      await atStep(page, 'language');
      await page.click('main .nav .primary');
      await atStep(page, 'role');
      await page.click('main .nav .primary');
      await page.waitForSelector('.error:not([hidden])');
      await audit(page, `${locale} role error`);
      await page.check('#role-peer_expert');
      await page.click('main .nav .primary');
      await atStep(page, 'what');
      await page.fill('textarea[name="text"]', 'x'.repeat(66000));
      await page.click('main .nav .primary');
      await page.waitForSelector('.error:not([hidden])');
      await audit(page, `${locale} what errors`);

      // The count-only reply step, then a failed send on the review step.
      await page.fill('textarea[name="text"]', 'kort');
      await page.check('#category-other');
      await page.click('main .nav .primary');
      await atStep(page, 'who');
      await page.click('main .nav .primary');
      await atStep(page, 'reply');
      await audit(page, `${locale} reply, count only`);
      await page.click('main .nav .secondary');
      await atStep(page, 'who');
      await page.check('#desk-care');
      await page.click('main .nav .primary');
      await atStep(page, 'reply');
      // Hearing back turned on, the code not yet confirmed as kept.
      await page.check('#hear-back');
      await page.waitForSelector('.receipt[data-code]');
      await page.click('main .nav .primary');
      await page.waitForSelector('.error:not([hidden])');
      await audit(page, `${locale} reply, code not kept`);
      await page.check('#receipt-kept');
      await page.click('main .nav .primary');
      await atStep(page, 'review');
      await context.route('**/api/v1/pow', (route) => route.abort('internetdisconnected'));
      await page.click('main .nav .primary');
      await page.waitForSelector('.error:not([hidden])');
      await audit(page, `${locale} send error`);
    } finally {
      await close();
    }
  });
}
