// The live stream (PROTOCOL.md section 6): a WebSocket that authenticates in its first
// message with the last seq seen per desk, replays what was missed, says "ready", then
// carries live events. A lost connection is retried with a growing pause and resumes
// from the last seq per desk, so nothing is missed and nothing comes twice; 1008 (bad,
// expired or disabled token) ends the session instead. 1012 (the server restarts) is
// retried at once and keeps retrying; the restarted server has forgotten every token,
// so the first 1008 after a 1012 signs in again (renew) instead of ending the session.

const maxPause = 30000;

/**
 * url: the wss: address; token(): the bearer token; after(): {desk: last seq};
 * onEvent(event, live): live is false during the replay before "ready";
 * onState('connecting'|'live'|'reconnecting'); onEnded(): the server refused the token;
 * renew(): signs in again after a restart, resolves to true when it did.
 */
export function liveStream({ url, token, after, onEvent, onState, onEnded, renew = async () => false }) {
  let socket = null;
  let stopped = false;
  let failures = 0;
  let timer = null;
  let restarted = false; // a 1012 came and no stream was ready since

  function connect() {
    timer = null;
    onState(failures === 0 ? 'connecting' : 'reconnecting');
    let ready = false;
    try {
      socket = new WebSocket(url);
    } catch {
      retry(false);
      return;
    }
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ type: 'auth', token: token(), after: after() }));
    });
    socket.addEventListener('message', (m) => {
      let message;
      try {
        message = JSON.parse(m.data);
      } catch {
        return;
      }
      if (message?.type === 'event') onEvent(message, ready);
      else if (message?.type === 'ready') {
        ready = true;
        failures = 0;
        restarted = false;
        onState('live');
      }
    });
    socket.addEventListener('close', (e) => {
      socket = null;
      if (stopped) return;
      if (e.code === 1008 && restarted) {
        restarted = false;
        renewThenConnect();
        return;
      }
      if (e.code === 1008) {
        stopped = true;
        onEnded();
        return;
      }
      if (e.code === 1012) restarted = true;
      // 1013: this tab fell behind; 1012: the server restarts. Both resume at once from
      // the last seq (a restarting server refuses the first tries: the pause then grows).
      retry(e.code === 1013 || (e.code === 1012 && failures === 0));
    });
  }

  async function renewThenConnect() {
    onState('reconnecting');
    let renewed = false;
    try {
      renewed = await renew();
    } catch {
      renewed = false;
    }
    if (stopped) return;
    if (!renewed) {
      stopped = true;
      onEnded();
      return;
    }
    connect();
  }

  function retry(now) {
    onState('reconnecting');
    const pause = now ? 0 : Math.min(maxPause, 1000 * 2 ** failures);
    failures += 1;
    timer = setTimeout(connect, pause);
  }

  // Back on the network: try at once rather than wait out the pause.
  const online = () => {
    if (timer !== null && !stopped) {
      clearTimeout(timer);
      connect();
    }
  };
  window.addEventListener('online', online);
  connect();

  return {
    close() {
      stopped = true;
      window.removeEventListener('online', online);
      if (timer !== null) clearTimeout(timer);
      socket?.close(1000);
      socket = null;
    },
  };
}
