// Sending a report: load libsodium, encrypt (PROTOCOL.md section 5), solve the proof of
// work in a worker, post. Returns {ok, data} or {ok: false, code}; the draft is never
// touched, so a retry sends what was typed.
import { getPow, postReport } from './api.js';
import { buildReport, utcDay } from './lib/report.js';
import { solvePow } from './pow-client.js';
import { loadSodium } from './sodium.js';

export async function sendReport(config, draft, onStage) {
  onStage('preparing', 0);
  let sodium;
  try {
    sodium = await loadSodium();
  } catch {
    return { ok: false, code: 'network' };
  }
  const built = buildReport(sodium, config, { ...draft, writtenAt: utcDay() });
  if (built.error) return { ok: false, code: built.error };

  const pow = await getPow();
  if (!pow.ok) return pow;
  let nonce;
  try {
    nonce = await solvePow(pow.data.token, pow.data.difficulty, (f) => onStage('working', f));
  } catch {
    return { ok: false, code: 'pow_failed' };
  }
  onStage('posting', 1);
  const result = await postReport({ ...built.body, pow: { token: pow.data.token, nonce } });
  if (!result.ok) return result;
  return { ok: true, data: result.data, desks: built.body.desks, countOnly: built.countOnly };
}
