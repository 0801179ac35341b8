// Builds web/dist: minified bundles, the translations, static files, and a .br and .gz
// sibling beside every file that compresses (signaal-server serves those when the
// browser accepts them). Prints the compressed size of the first load. The staff web
// inbox (web/desk/) is a separate bundle in dist/desk/, with libsodium's sumo build:
// nothing of it reaches the phone page.
import { build } from 'esbuild';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const target = ['es2020'];

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'i18n'), { recursive: true });

const app = await build({
  entryPoints: { app: join(root, 'src/main.js') },
  bundle: true,
  format: 'esm',
  splitting: true,
  minify: true,
  target,
  outdir: dist,
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
// The worker is a classic script: it loads without module-worker support.
await build({
  entryPoints: { 'pow-worker': join(root, 'src/pow-worker.js') },
  bundle: true,
  format: 'iife',
  minify: true,
  target,
  outdir: dist,
  logLevel: 'warning',
});
await build({
  entryPoints: { app: join(root, 'src/style.css') },
  bundle: true,
  minify: true,
  outdir: dist,
  logLevel: 'warning',
});

// The web inbox for caseworkers, served at /desk/.
const deskDist = join(dist, 'desk');
const desk = await build({
  entryPoints: { app: join(root, 'desk/main.js') },
  bundle: true,
  format: 'esm',
  splitting: true,
  minify: true,
  target,
  outdir: deskDist,
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
await build({
  entryPoints: { app: join(root, 'desk/style.css') },
  bundle: true,
  minify: true,
  outdir: deskDist,
  logLevel: 'warning',
});

// The quarterly figures for coordinators, served at /stats/ (the same sumo build, for
// opening a locked key file).
const statsDist = join(dist, 'stats');
const stats = await build({
  entryPoints: { app: join(root, 'stats/main.js') },
  bundle: true,
  format: 'esm',
  splitting: true,
  minify: true,
  target,
  outdir: statsDist,
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
await build({
  entryPoints: { app: join(root, 'stats/style.css') },
  bundle: true,
  minify: true,
  outdir: statsDist,
  logLevel: 'warning',
});

// The reporter's follow-up page, served at /follow-up/ (libsodium's small build, like the
// phone page: the receipt's keys need no Argon2id).
const followupDist = join(dist, 'follow-up');
const followup = await build({
  entryPoints: { app: join(root, 'followup/main.js') },
  bundle: true,
  format: 'esm',
  splitting: true,
  minify: true,
  target,
  outdir: followupDist,
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
await build({
  entryPoints: { app: join(root, 'followup/style.css') },
  bundle: true,
  minify: true,
  outdir: followupDist,
  logLevel: 'warning',
});

cpSync(join(root, 'public'), dist, { recursive: true });
cpSync(join(root, 'desk/index.html'), join(deskDist, 'index.html'));
cpSync(join(root, 'stats/index.html'), join(statsDist, 'index.html'));
cpSync(join(root, 'followup/index.html'), join(followupDist, 'index.html'));
function copyTranslations(from, to) {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (!name.endsWith('.json')) continue;
    // The review record ("@review", docs/TRANSLATING.md) is for translators, not phones.
    const data = JSON.parse(readFileSync(join(from, name), 'utf8'));
    for (const key of Object.keys(data)) if (key.startsWith('@')) delete data[key];
    writeFileSync(join(to, name), JSON.stringify(data));
  }
}
copyTranslations(join(root, 'i18n'), join(dist, 'i18n'));
copyTranslations(join(root, 'desk/i18n'), join(deskDist, 'i18n'));
copyTranslations(join(root, 'stats/i18n'), join(statsDist, 'i18n'));
copyTranslations(join(root, 'followup/i18n'), join(followupDist, 'i18n'));

// Precompress every file; keep a sibling only when it is smaller.
const sizes = new Map();
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (!name.endsWith('.br') && !name.endsWith('.gz')) compress(path);
  }
}
function compress(path) {
  const raw = readFileSync(path);
  const br = brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  });
  const gz = gzipSync(raw, { level: 9 });
  if (br.length < raw.length) writeFileSync(`${path}.br`, br);
  if (gz.length < raw.length) writeFileSync(`${path}.gz`, gz);
  sizes.set(relative(dist, path), {
    raw: raw.length,
    br: Math.min(br.length, raw.length),
    gz: Math.min(gz.length, raw.length),
  });
}
walk(dist);

// The first load: the page, its stylesheet and icon, the app with its static imports,
// the config's English fallback and one other language. The whole flow adds what
// loads later (libsodium's chunk when writing starts, the proof-of-work worker).
function staticClosure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const imp of app.metafile.outputs[file]?.imports ?? []) {
    if (imp.kind === 'import-statement') staticClosure(imp.path, seen);
  }
  return seen;
}
const rel = (p) => relative(dist, join(root, p));
const firstLoad = ['index.html', 'app.css', 'favicon.svg', 'i18n/en.json', 'i18n/nl.json',
  ...[...staticClosure(relative(root, join(dist, 'app.js')))].map(rel)];
const allJs = Object.keys(app.metafile.outputs).filter((p) => p.endsWith('.js')).map(rel);
const wholeFlow = [...new Set([...firstLoad, ...allJs, 'pow-worker.js'])];

const deskJs = Object.keys(desk.metafile.outputs).filter((p) => p.endsWith('.js')).map(rel);
const deskPage = [...new Set(['desk/index.html', 'desk/app.css', 'desk/i18n/en.json', 'i18n/en.json', ...deskJs])];
const statsJs = Object.keys(stats.metafile.outputs).filter((p) => p.endsWith('.js')).map(rel);
const statsPage = [...new Set(['stats/index.html', 'stats/app.css', 'stats/i18n/en.json', 'i18n/en.json', ...statsJs])];

const followupJs = Object.keys(followup.metafile.outputs).filter((p) => p.endsWith('.js')).map(rel);
const followupPage = [...new Set(['follow-up/index.html', 'follow-up/app.css', 'follow-up/i18n/en.json', 'i18n/en.json', ...followupJs])];

const total = (files, kind) => files.reduce((sum, f) => sum + (sizes.get(f)?.[kind] ?? 0), 0);
const kb = (n) => (n / 1024).toFixed(1);
for (const [name, files] of [['first load', firstLoad], ['whole flow', wholeFlow], ['desk inbox, everything', deskPage], ['stats dashboard, everything', statsPage], ['follow-up page, everything', followupPage]]) {
  console.log(`web: ${name}: ${kb(total(files, 'br'))} KB brotli, ${kb(total(files, 'gz'))} KB gzip, ${kb(total(files, 'raw'))} KB raw (${files.length} files)`);
}

