// The server's API. Every call answers {ok: true, data} or {ok: false, code}, where
// code is a protocol error code (PROTOCOL.md section 2) or 'network'. The server's
// own English message is never shown: the page says it in the reporter's language.

const options = { cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' };

async function call(path, init = {}) {
  let response;
  try {
    response = await fetch(`api/v1/${path}`, { ...options, ...init });
  } catch {
    return { ok: false, code: 'network' };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    return { ok: false, code: response.ok ? 'bad_response' : 'network' };
  }
  if (!response.ok) return { ok: false, code: data?.error?.code ?? 'unknown', status: response.status };
  return { ok: true, data, status: response.status };
}

export const getConfig = () => call('config');

export const getPow = () => call('pow');

export const postReport = (body) =>
  call('reports', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
