// The live stream (PROTOCOL.md section 6): a WebSocket that authenticates in its first
// message with the last seq seen per desk, replays what was missed, says "ready", then
// carries live events. A lost connection is retried with a growing pause and resumes
// from the last seq per desk, so nothing is missed and nothing comes twice; 1008 (bad,
// expired or disabled token) ends the session instead.

const maxPause = 30000;

/**
 * url: the wss: address; token(): the bearer token; after(): {desk: last seq};
 * onEvent(event, live): live is false during the replay before "ready";
 * onState('connecting'|'live'|'reconnecting'); onEnded(): the server refused the token.
 */
export function liveStream({ url, token, after, onEvent, onState, onEnded }) {
  let socket = null;
  let stopped = false;
  let failures = 0;
  let timer = null;

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
        onState('live');
      }
    });
    socket.addEventListener('close', (e) => {
      socket = null;
      if (stopped) return;
      if (e.code === 1008) {
        stopped = true;
        onEnded();
        return;
      }
      // 1013: this tab fell behind; it resumes at once from its last seq.
      retry(e.code === 1013);
    });
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
