// The web inbox's live stream (web/desk/stream.js) without a browser, on a fake
// WebSocket and mocked timers: a server restart's 1012 is retried and, once the
// restarted server refuses the forgotten token (1008), the tab signs in again
// and resumes from its last seq; a 1008 without a restart ends the session; a
// failed sign-in after a restart ends it too.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// stream.js imports nothing, so this test needs no web/node_modules.
const webDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');

globalThis.window = { addEventListener() {}, removeEventListener() {} };
let sockets = [];
globalThis.WebSocket = class {
  constructor(url) {
    this.url = url;
    this.sent = [];
    this.listeners = {};
    sockets.push(this);
  }
  addEventListener(type, f) {
    this.listeners[type] = f;
  }
  send(text) {
    this.sent.push(JSON.parse(text));
  }
  close() {}
  open() {
    this.listeners.open?.();
  }
  message(m) {
    this.listeners.message?.({ data: JSON.stringify(m) });
  }
  closeWith(code) {
    this.listeners.close?.({ code });
  }
};
const { liveStream } = await import(join(webDir, 'desk/stream.js'));

function start({ renew }) {
  sockets = [];
  const seen = { events: [], ended: 0, renewed: 0, states: [] };
  let token = 'old';
  let last = 0;
  const stream = liveStream({
    url: 'wss://x/api/v1/stream',
    token: () => token,
    after: () => ({ care: last }),
    onEvent: (e) => {
      seen.events.push(e.seq);
      last = e.seq;
    },
    onState: (s) => seen.states.push(s),
    onEnded: () => (seen.ended += 1),
    renew: async () => {
      seen.renewed += 1;
      if (renew) token = 'new';
      return renew;
    },
  });
  return { stream, seen };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

test('a restart (1012) is retried, the forgotten token renewed, and the stream resumes from its last seq', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { stream, seen } = start({ renew: true });
    sockets[0].open();
    assert.deepEqual(sockets[0].sent[0], { type: 'auth', token: 'old', after: { care: 0 } });
    sockets[0].message({ type: 'event', seq: 1, desk: 'care', report_id: 'a', kind: 'report' });
    sockets[0].message({ type: 'ready', seq: { care: 1 } });
    sockets[0].closeWith(1012);
    mock.timers.tick(0);
    assert.equal(sockets.length, 2, 'reconnects at once after 1012');
    sockets[1].closeWith(1006); // still down
    mock.timers.tick(2000); // then the pause grows
    assert.equal(sockets.length, 3);
    sockets[2].open();
    assert.equal(sockets[2].sent[0].token, 'old');
    sockets[2].closeWith(1008); // the restarted server does not know the token
    await flush();
    assert.equal(seen.renewed, 1);
    assert.equal(seen.ended, 0);
    assert.equal(sockets.length, 4);
    sockets[3].open();
    assert.deepEqual(sockets[3].sent[0], { type: 'auth', token: 'new', after: { care: 1 } });
    sockets[3].message({ type: 'event', seq: 2, desk: 'care', report_id: 'b', kind: 'report' });
    sockets[3].message({ type: 'ready', seq: { care: 2 } });
    assert.deepEqual(seen.events, [1, 2]);
    // A later 1008 (token expired, person disabled) ends the session: no renewal.
    sockets[3].closeWith(1008);
    await flush();
    assert.equal(seen.renewed, 1);
    assert.equal(seen.ended, 1);
    stream.close();
  } finally {
    mock.timers.reset();
  }
});

test('a 1008 without a restart ends the session, and so does a renewal that fails', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    let { seen } = start({ renew: true });
    sockets[0].open();
    sockets[0].closeWith(1008);
    await flush();
    assert.equal(seen.renewed, 0);
    assert.equal(seen.ended, 1);

    ({ seen } = start({ renew: false }));
    sockets[0].open();
    sockets[0].message({ type: 'ready', seq: { care: 0 } });
    sockets[0].closeWith(1012);
    mock.timers.tick(0);
    sockets[1].open();
    sockets[1].closeWith(1008);
    await flush();
    assert.equal(seen.renewed, 1);
    assert.equal(seen.ended, 1);
    assert.equal(sockets.length, 2, 'no further connection after the refused sign-in');
  } finally {
    mock.timers.reset();
  }
});
