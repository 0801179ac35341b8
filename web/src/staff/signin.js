// Staff sign-in (PROTOCOL.md section 6): a single-use challenge, signed with the staff
// Ed25519 key over a message that names the origin this page was loaded from.
import { decode, encode } from '../lib/base64url.js';
import { staffLoginMessage } from '../lib/login.js';

/**
 * Signs in with an opened staff key; on success the api holds the token.
 * → {ok: true, session: {staff, role, desks, expiresIn}} or {ok: false, code, status}.
 */
export async function signIn(sodium, api, key, origin = globalThis.location?.origin) {
  const asked = await api.challenge();
  if (!asked.ok) return asked;
  const challenge = decode(asked.data?.challenge);
  if (!challenge || challenge.length !== 32) return { ok: false, code: 'bad_response' };
  const signature = sodium.crypto_sign_detached(staffLoginMessage(origin, key.staff, challenge), key.signSk);
  const answer = await api.signIn({ staff: key.staff, challenge: asked.data.challenge, signature: encode(signature) });
  if (!answer.ok) return answer;
  const { token, expires_in: expiresIn, role, desks } = answer.data ?? {};
  if (typeof token !== 'string' || !Number.isFinite(expiresIn)) return { ok: false, code: 'bad_response' };
  api.setToken(token);
  return { ok: true, session: { staff: key.staff, role, desks: Array.isArray(desks) ? desks : [], expiresIn } };
}
