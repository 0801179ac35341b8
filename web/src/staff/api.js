// The staff API (PROTOCOL.md sections 6 and 8) with a bearer token held in memory only.
// Every call answers {ok: true, data, status} or {ok: false, code, status}, where code is
// a protocol error code (section 2), 'network' or 'bad_response'. A 401 on a signed-in
// call also tells onUnauthorized, so a page can go back to its sign-in screen.

const options = { cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' };
const segment = (id) => encodeURIComponent(id);

/** base: the API's URL; staff pages live one folder below the phone page ('/desk/'). */
export function staffApi({ base = new URL('../api/v1/', globalThis.location?.href).href, onUnauthorized = () => {} } = {}) {
  let token = null;

  async function call(method, path, body) {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(new URL(path, base), { ...options, method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      return { ok: false, code: 'network' };
    }
    if (response.status === 401 && token) onUnauthorized();
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

  return {
    get signedIn() {
      return token !== null;
    },
    setToken(value) {
      token = value;
    },
    /** The token, for the stream's first message only. */
    token: () => token,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    config: () => call('GET', 'config'),
    challenge: () => call('POST', 'auth/challenge'),
    signIn: (body) => call('POST', 'auth/staff', body),
    async logout() {
      const answer = token ? await call('POST', 'auth/logout') : { ok: true };
      token = null;
      return answer;
    },
    staff: (id) => call('GET', `staff/${segment(id)}`),
    desk: (desk) => call('GET', `desks/${segment(desk)}`),
    deskKeys: () => call('GET', 'desk-keys'),
    uploadDeskKey: (desk, body) => call('POST', `desks/${segment(desk)}/keys`, body),
    postGrant: (grant) => call('POST', 'desk-keys/grants', grant),
    inbox: (desk, after = 0, limit = 1000) => call('GET', `inbox?desk=${segment(desk)}&after=${after}&limit=${limit}`),
    report: (id) => call('GET', `reports/${segment(id)}`),
    setStatus: (id, desk, status) => call('POST', `reports/${segment(id)}/status`, { desk, status }),
    /** A desk's reply to the reporter (PROTOCOL.md section 7). */
    postMessage: (id, body) => call('POST', `reports/${segment(id)}/messages`, body),
    /** The report key sealed to desks the reporter added (section 7, stepped consent). */
    forward: (id, body) => call('POST', `reports/${segment(id)}/envelopes`, body),
    /** The WebSocket address of the live stream, same origin (wss: for https:). */
    streamUrl() {
      const url = new URL('stream', base);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      return url.href;
    },
  };
}
