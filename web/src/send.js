// Sending a report: load libsodium, encrypt (PROTOCOL.md section 5), solve the proof of
// work in a worker, post (with her reply keys when she wants to hear back). Returns {ok, data, config} or {ok: false, code}; the draft is
// never touched, so a retry sends what was typed.
//
// A desk may rotate its key while the page is open; the server then answers 409
// stale_key. The page fetches the configuration again and encrypts the same text to
// the new keys, once, without the reporter doing anything (she is never asked to copy
// her text, which would leave it in the phone's clipboard history).
import { getConfig, getPow, postReport } from './api.js';
import { buildReport, routedDesks, utcDay } from './lib/report.js';
import { solvePow } from './pow-client.js';
import { loadSodium } from './sodium.js';

async function sendOnce(sodium, config, draft, writtenAt, onStage) {
  const built = buildReport(sodium, config, { ...draft, writtenAt });
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
  const replied = Boolean(built.body.reply);
  // Her reply keys come from a receipt made in this browser a moment ago: if the server
  // already holds them, it holds this report, stored by an earlier try whose answer was
  // lost. Sending it again would only be refused, so it counts as sent.
  if (!result.ok && result.code === 'reply_in_use' && replied) {
    return { ok: true, data: { received_day: null }, desks: built.body.desks, countOnly: false, replied, config };
  }
  if (!result.ok) return result;
  return { ok: true, data: result.data, desks: built.body.desks, countOnly: built.countOnly, replied, config };
}

const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

export async function sendReport(config, draft, onStage) {
  onStage('preparing', 0);
  let sodium;
  try {
    sodium = await loadSodium();
  } catch {
    return { ok: false, code: 'network' };
  }
  // One day for every attempt, so a retry seals exactly what the counter counted.
  const writtenAt = utcDay();
  const first = await sendOnce(sodium, config, draft, writtenAt, onStage);
  if (first.ok || first.code !== 'stale_key') return first;

  onStage('refreshing', 0);
  const fresh = await getConfig();
  if (!fresh.ok) return fresh;
  // Re-encrypt only to the same readers: if the desks she chose are no longer all
  // there (a desk was removed, routing changed), she must see it and decide again.
  const before = routedDesks(draft.consent, config.routing, draft.category);
  const now = routedDesks(draft.consent, fresh.data.routing, draft.category);
  if (!sameList(before, now) || !now.every((id) => fresh.data.desks?.some((d) => d.id === id))) {
    return { ok: false, code: 'unknown_desk', config: fresh.data };
  }
  const second = await sendOnce(sodium, fresh.data, draft, writtenAt, onStage);
  return second.ok ? second : { ...second, config: fresh.data };
}
