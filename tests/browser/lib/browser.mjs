// Debian's Chromium, driven by playwright-core (no browser download). The flags keep
// Chromium from calling out to the network, which this machine does not have.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importWeb } from './modules.mjs';

export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--disable-extensions', '--no-default-browser-check',
];

/** A browser context with a fresh profile; close() removes the profile. */
export async function launch({ locale = 'en-US', viewport = { width: 360, height: 640 } } = {}) {
  const pw = await importWeb('playwright-core');
  const chromium = pw.chromium ?? pw.default.chromium;
  const profile = mkdtempSync(join(tmpdir(), 'signaal-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    ignoreHTTPSErrors: true,
    locale,
    viewport,
    deviceScaleFactor: 1,
    isMobile: false,
    hasTouch: true,
  });
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}
