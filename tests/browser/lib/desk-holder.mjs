// A desk's holder, as a caseworker's client acts (PROTOCOL.md §6), written
// independently of the server's code: signs in with a demo staff key file
// (v1), makes a new desk key pair, grants it to themself (signed), and uploads
// the public key. This is how a desk key is rotated now; no admin command makes one.
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSodium } from './modules.mjs';

const sodium = await loadSodium();
const V = sodium.base64_variants.URLSAFE_NO_PADDING;
const b = (s) => sodium.from_base64(s, V);
const s64 = (bytes) => sodium.to_base64(bytes, V);
const utf8 = (text) => new TextEncoder().encode(text);
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

function post(instance, path, body, token) {
  const url = new URL(path, instance.baseUrl);
  const data = JSON.stringify(body ?? {});
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca: readFileSync(join(instance.dir, 'tls', 'cert.pem')),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Signs in as `staff` (its v1 key file in the demo's keys/): the bearer token. */
export async function signIn(instance, staff) {
  const key = JSON.parse(readFileSync(join(instance.dir, 'keys', `staff-${staff}.json`), 'utf8'));
  const challenge = await post(instance, '/api/v1/auth/challenge', {});
  if (challenge.status !== 200) throw new Error(`challenge: ${challenge.status}`);
  const origin = new URL(instance.baseUrl).origin;
  const message = concat(utf8(`signaal/login/v1\n${origin}\n${staff}\n`), b(challenge.body.challenge));
  const signature = sodium.crypto_sign_detached(message, b(key.sign_sk));
  const signedIn = await post(instance, '/api/v1/auth/staff', { staff, challenge: challenge.body.challenge, signature: s64(signature) });
  if (signedIn.status !== 200) throw new Error(`sign-in of ${staff}: ${signedIn.status} ${JSON.stringify(signedIn.body)}`);
  return { key, token: signedIn.body.token };
}

/**
 * Rotates `desk`'s key as its demo holder (`<desk>-demo`): a new pair, granted
 * to the holder, uploaded. Resolves with the new key in the desk key file's form
 * once the server answered 201 (from then on it accepts envelopes to it).
 */
export async function rotateDeskKey(instance, desk) {
  const staff = `${desk}-demo`;
  const { key, token } = await signIn(instance, staff);
  const pair = sodium.crypto_box_keypair();
  const keyId = s64(sodium.crypto_generichash(32, pair.publicKey).subarray(0, 8));
  const wrapped = sodium.crypto_box_seal(pair.privateKey, b(key.box_pk));
  const signed = concat(utf8(`signaal/grant/v1\n${desk}\n${keyId}\n${staff}\n`), wrapped);
  const grant = { desk, key_id: keyId, to: staff, wrapped: s64(wrapped), by: staff, signature: s64(sodium.crypto_sign_detached(signed, b(key.sign_sk))) };
  const uploaded = await post(instance, `/api/v1/desks/${desk}/keys`, { public_key: s64(pair.publicKey), grants: [grant] }, token);
  if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${JSON.stringify(uploaded.body)}`);
  return { kind: 'signaal-desk-key', v: 1, desk, public_key: s64(pair.publicKey), secret_key: s64(pair.privateKey), key_id: keyId };
}
