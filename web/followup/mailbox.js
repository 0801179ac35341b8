// The mailbox API (PROTOCOL.md section 7) as the follow-up page calls it. Every call
// answers {ok: true, data} or {ok: false, code, status}. The token lives in this
// object only (memory); nothing goes to cookies or web storage.
import { encode, decode } from '../src/lib/base64url.js';
import { mailboxLoginMessage } from '../src/lib/login.js';

const options = { cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' };
// The page lives at /follow-up/; the API at /api/v1/.
const base = '../api/v1/';

async function call(path, { method = 'GET', body, token, keepalive = false } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(`${base}${path}`, {
      ...options,
      method,
      headers,
      keepalive,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, code: 'network' };
  }
  if (response.status === 204) return { ok: true, data: null, status: 204 };
  let data = null;
  try {
    data = await response.json();
  } catch {
    return { ok: false, code: response.ok ? 'bad_response' : 'network', status: response.status };
  }
  if (!response.ok) return { ok: false, code: data?.error?.code ?? 'unknown', status: response.status };
  return { ok: true, data, status: response.status };
}

export const getConfig = () => call('config');

/** A mailbox session: sign in with the receipt's mailbox key pair, then the routes. */
export function mailboxSession() {
  let token = null;
  const authed = (path, init = {}) => (token ? call(path, { ...init, token }) : Promise.resolve({ ok: false, code: 'unauthorized', status: 401 }));
  return {
    get signedIn() {
      return token !== null;
    },
    /**
     * Challenge first, then the signed login for this page's own origin (so the
     * signature is good for this instance only). Any valid signature gets a token.
     */
    async signIn(sodium, mailboxKeys, origin) {
      const challenge = await call('auth/challenge', { method: 'POST', body: {} });
      if (!challenge.ok) return challenge;
      const raw = decode(challenge.data?.challenge ?? '');
      if (!raw || raw.length !== 32) return { ok: false, code: 'bad_response' };
      const signature = sodium.crypto_sign_detached(mailboxLoginMessage(origin, raw), mailboxKeys.privateKey);
      const login = await call('auth/mailbox', {
        method: 'POST',
        body: { mailbox_pk: encode(mailboxKeys.publicKey), challenge: challenge.data.challenge, signature: encode(signature) },
      });
      if (!login.ok) return login;
      if (typeof login.data?.token !== 'string') return { ok: false, code: 'bad_response' };
      token = login.data.token;
      return { ok: true };
    },
    view: () => authed('mailbox'),
    send: (body) => authed('mailbox/messages', { method: 'POST', body }),
    /** A signed change of who may read the report (section 7, stepped consent). */
    changeConsent: (body) => authed('mailbox/consent', { method: 'POST', body }),
    withdraw: (reportId) => authed(`mailbox/reports/${encodeURIComponent(reportId)}`, { method: 'DELETE' }),
    /** Ends the token on the server (also while the page unloads) and forgets it here. */
    signOut() {
      const ending = token;
      token = null;
      if (ending) call('auth/logout', { method: 'POST', token: ending, keepalive: true }).catch(() => {});
    },
  };
}
