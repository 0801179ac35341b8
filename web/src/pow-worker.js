// Web Worker: solves the proof of work off the main thread and reports progress, so the
// page never freezes. Message in: {token, difficulty}; out: {tried} ... then {nonce}.
import { decode, encode } from './lib/base64url.js';
import { search } from './lib/pow.js';

const slice = 4096;

self.onmessage = (event) => {
  const { token, difficulty } = event.data;
  const tokenBytes = decode(token);
  if (!tokenBytes) {
    self.postMessage({ error: 'bad_token' });
    return;
  }
  for (let start = 0; start < 2 ** 52; start += slice) {
    const nonce = search(tokenBytes, difficulty, start, slice);
    if (nonce) {
      self.postMessage({ nonce: encode(nonce), tried: start + slice });
      return;
    }
    self.postMessage({ tried: start + slice });
  }
};
