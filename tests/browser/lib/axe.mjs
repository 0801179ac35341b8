// axe-core on the page as it stands: every violation is printed, and a serious or
// critical one fails the test. DevTools evaluation is not subject to the page's CSP,
// so axe needs no exception there.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolveWeb } from './modules.mjs';

const axeSource = readFileSync(resolveWeb('axe-core/axe.min.js'), 'utf8');
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export async function audit(page, label) {
  await page.evaluate(axeSource);
  const result = await page.evaluate((values) => window.axe.run(document, { runOnly: { type: 'tag', values } }), tags);
  for (const v of result.violations) {
    console.log(`${label}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  }
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => v.id), [], `${label}: serious or critical violations`);
  assert.ok(result.passes.length > 10, `${label}: axe ran (${result.passes.length} rules passed)`);
}
