// Drives the phone page through its steps like a person would, by the visible controls.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoDir } from './modules.mjs';

export const stepOrder = ['language', 'role', 'what', 'who', 'reply', 'review', 'done'];

export const screenshotDir =
  process.env.SIGNAAL_SCREENSHOTS ?? join(process.env.SIGNAAL_BINARY_DIR ?? join(repoDir, 'build'), 'artifacts', 'screenshots');

export async function atStep(page, step) {
  await page.waitForSelector(`main[data-step="${step}"]`, { timeout: 30000 });
}

/** Presses the step's main button; on arrival, focus must be on the new step's heading. */
export async function next(page, step) {
  await page.click('main .nav .primary');
  await atStep(page, step);
  const focused = await page.evaluate(() => document.activeElement?.matches('main h1') ?? false);
  if (!focused) throw new Error(`focus is not on the heading of step ${step}`);
}

export async function shoot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  // From the top, so the sticky bar is drawn where a person first sees it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The receipt code shown on the page (reply step or done screen). */
export async function shownReceipt(page) {
  return page.getAttribute('.receipt[data-code]', 'data-code');
}

/**
 * Opens the page and goes as far as `until` (a step name), filling in the report.
 * onStep(step) runs on arrival at each step (screenshots, checks).
 */
export async function walk(page, baseUrl, report, { until = 'done', onStep = async () => {} } = {}) {
  await page.goto(baseUrl);
  await atStep(page, 'language');
  await onStep('language');
  if (until === 'language') return;
  await next(page, 'role');
  await page.check(`#role-${report.role}`);
  await onStep('role');
  if (until === 'role') return;
  await next(page, 'what');
  await page.check(`#category-${report.category}`);
  await page.fill('textarea[name="text"]', report.text);
  if (report.when) await page.check(`#when-${report.when}`);
  if (report.where) await page.fill('input[name="where"]', report.where);
  await onStep('what');
  if (until === 'what') return;
  await next(page, 'who');
  for (const d of report.desks) await page.check(`#desk-${d}`);
  await onStep('who');
  if (until === 'who') return;
  await next(page, 'reply');
  // report.hearBack: turn on hearing back, wait for the receipt, say it was kept.
  if (report.hearBack) {
    await page.check('#hear-back');
    await page.waitForSelector('.receipt[data-code]');
    await page.check('#receipt-kept');
  }
  await onStep('reply');
  if (until === 'reply') return;
  await next(page, 'review');
  await onStep('review');
  if (until === 'review') return;
  await next(page, 'done');
  await onStep('done');
}

/** Interactive elements smaller than 44×44 CSS pixels (a radio or checkbox counts its label). */
export async function smallTargets(page) {
  return page.evaluate(() => {
    const small = [];
    for (const el of document.querySelectorAll('button, a[href], select, textarea, input')) {
      if (el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue;
      let target = el;
      if (el.matches('input[type="radio"], input[type="checkbox"]')) target = document.querySelector(`label[for="${el.id}"]`) ?? el;
      const r = target.getBoundingClientRect();
      if (r.width < 44 || r.height < 44) small.push(`${el.tagName.toLowerCase()}#${el.id || ''} "${(target.textContent || '').trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
    return small;
  });
}

/** True when the page scrolls sideways (it must not at 360 px). */
export async function overflowsSideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}
