// The browser tests use the packages installed in web/ (npm ci there); this resolves
// them from web/node_modules and fails clearly when they are missing.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const webDir = join(repoDir, 'web');

if (!existsSync(join(webDir, 'node_modules'))) {
  console.error(`FAIL: ${webDir}/node_modules is missing: run "npm ci" in web/ first`);
  process.exit(1);
}
const require = createRequire(join(webDir, 'package.json'));

/** import() a package installed in web/node_modules. */
export async function importWeb(name) {
  return import(pathToFileURL(require.resolve(name)).href);
}

/** The path of a file inside a package installed in web/node_modules. */
export function resolveWeb(name) {
  return require.resolve(name);
}

export async function loadSodium() {
  const mod = await import(pathToFileURL(join(webDir, 'node_modules/libsodium-wrappers/dist/modules-esm/libsodium-wrappers.mjs')).href);
  await mod.default.ready;
  return mod.default;
}

/** libsodium.js's sumo build, as the staff pages load it (crypto_pwhash for locked key files). */
export async function loadSumoSodium() {
  const mod = await import(pathToFileURL(join(webDir, 'node_modules/libsodium-wrappers-sumo/dist/modules-sumo-esm/libsodium-wrappers.mjs')).href);
  await mod.default.ready;
  return mod.default;
}
