// A real Signaal instance on loopback for the browser tests: `signaal-admin demo DIR`,
// a low proof-of-work difficulty, then `signaal-server --listen 127.0.0.1:0`.
// SIGNAAL_SERVER and SIGNAAL_ADMIN (set by CTest) name the two programs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webDir } from './modules.mjs';

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

/** Sets `key = value` inside [table] of a TOML text, adding the table or key if absent. */
export function setTomlKey(text, table, key, value) {
  const lines = text.split('\n');
  let start = lines.findIndex((l) => l.trim() === `[${table}]`);
  if (start < 0) {
    lines.push('', `[${table}]`, `${key} = ${value}`);
    return lines.join('\n');
  }
  let end = lines.findIndex((l, i) => i > start && /^\s*\[/.test(l));
  if (end < 0) end = lines.length;
  for (let i = start + 1; i < end; i++) {
    if (new RegExp(`^\\s*${key}\\s*=`).test(lines[i])) {
      lines[i] = `${key} = ${value}`;
      return lines.join('\n');
    }
  }
  lines.splice(start + 1, 0, `${key} = ${value}`);
  return lines.join('\n');
}

export async function startInstance({ powDifficulty = 8, deskKeyGraceDays } = {}) {
  const admin = process.env.SIGNAAL_ADMIN;
  const server = process.env.SIGNAAL_SERVER;
  if (!admin || !existsSync(admin)) fail(`SIGNAAL_ADMIN does not name signaal-admin (${admin})`);
  if (!server || !existsSync(server)) fail(`SIGNAAL_SERVER does not name signaal-server (${server})`);
  if (!existsSync(join(webDir, 'dist', 'index.html'))) fail('web/dist is not built: run "npm run build" in web/');

  const dir = mkdtempSync(join(tmpdir(), 'signaal-browser-'));
  const demo = spawnSync(admin, ['demo', dir], { encoding: 'utf8' });
  if (demo.status !== 0) fail(`signaal-admin demo failed: ${demo.stderr}`);
  const configPath = join(dir, 'signaal.toml');
  let toml = readFileSync(configPath, 'utf8');
  toml = setTomlKey(toml, 'reports', 'pow_difficulty', String(powDifficulty));
  if (deskKeyGraceDays !== undefined) toml = setTomlKey(toml, 'reports', 'desk_key_grace_days', String(deskKeyGraceDays));
  toml = setTomlKey(toml, 'server', 'web_root', JSON.stringify(join(webDir, 'dist')));
  writeFileSync(configPath, toml);

  const child = spawn(server, ['--config', configPath, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const baseUrl = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s: ${stderr}`)), 30000);
    child.stderr.on('data', (d) => {
      out += d;
      const m = out.match(/event=listening listen=(https?:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/?$/, '/'));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${stderr}`));
    });
  }).catch((e) => fail(e.message));
  child.stdout.resume();

  return {
    baseUrl,
    dir,
    deskKey(id) {
      return JSON.parse(readFileSync(join(dir, 'keys', `desk-${id}.json`), 'utf8'));
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => {
          const t = setTimeout(() => {
            child.kill('SIGKILL');
            r();
          }, 5000);
          child.on('exit', () => {
            clearTimeout(t);
            r();
          });
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
