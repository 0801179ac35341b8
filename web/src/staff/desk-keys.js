// Desk keys (PROTOCOL.md section 6): a desk key is trusted only after the client has
// unwrapped it, recomputed its public key, checked its key id and checked the grant's
// signature with the granter's own sign key. Grants made here are signed the same way.
import { decode, encode } from '../lib/base64url.js';
import { deskFingerprint, keyIdBytes } from './fingerprint.js';

const utf8 = new TextEncoder();
const fail = (code) => ({ ok: false, code });

/** ASCII `signaal/grant/v1\n` desk `\n` key_id (base64url) `\n` to `\n`, then the raw wrapped bytes. */
export function grantMessage(desk, keyId, to, wrapped) {
  const head = utf8.encode(`signaal/grant/v1\n${desk}\n${keyId}\n${to}\n`);
  const out = new Uint8Array(head.length + wrapped.length);
  out.set(head);
  out.set(wrapped, head.length);
  return out;
}

/** A grant of the desk secret key to `to` (their box_pk), signed by `by` (an opened staff key). */
export function makeGrant(sodium, { desk, publicKey, secretKey, to, toBoxPk, by }) {
  const keyId = encode(keyIdBytes(sodium, publicKey));
  const wrapped = sodium.crypto_box_seal(secretKey, toBoxPk);
  const signature = sodium.crypto_sign_detached(grantMessage(desk, keyId, to, wrapped), by.signSk);
  return { desk, key_id: keyId, to, wrapped: encode(wrapped), by: by.staff, signature: encode(signature) };
}

/** True when the grant's signature verifies with the granter's sign_pk (32 raw bytes). */
export function grantSignatureValid(sodium, grant, bySignPk) {
  const wrapped = decode(grant.wrapped);
  const signature = decode(grant.signature);
  if (!wrapped || !signature || signature.length !== 64 || bySignPk?.length !== 32) return false;
  try {
    return sodium.crypto_sign_verify_detached(signature, grantMessage(grant.desk, grant.key_id, grant.to, wrapped), bySignPk);
  } catch {
    return false;
  }
}

/**
 * Checks one entry of GET /api/v1/desk-keys for `me` (an opened staff key):
 * {ok, key: {desk, keyId, publicKey, secretKey, fingerprint, by}} or {ok: false, code}
 * with code 'not_for_me', 'unwrap_failed', 'public_key_mismatch', 'key_id_mismatch', 'bad_signature'.
 */
export function acceptDeskKey(sodium, me, entry, bySignPk) {
  if (entry?.to !== me.staff) return fail('not_for_me');
  const publicKey = decode(entry.public_key);
  const wrapped = decode(entry.wrapped);
  if (!publicKey || publicKey.length !== 32 || !wrapped) return fail('unwrap_failed');
  let secretKey;
  try {
    secretKey = sodium.crypto_box_seal_open(wrapped, me.boxPk, me.boxSk);
  } catch {
    return fail('unwrap_failed');
  }
  const refuse = (code) => {
    secretKey.fill(0);
    return fail(code);
  };
  if (secretKey.length !== 32) return refuse('unwrap_failed');
  if (!sodium.memcmp(sodium.crypto_scalarmult_base(secretKey), publicKey)) return refuse('public_key_mismatch');
  if (encode(keyIdBytes(sodium, publicKey)) !== entry.key_id) return refuse('key_id_mismatch');
  if (!grantSignatureValid(sodium, entry, bySignPk)) return refuse('bad_signature');
  return {
    ok: true,
    key: { desk: entry.desk, keyId: entry.key_id, publicKey, secretKey, fingerprint: deskFingerprint(sodium, publicKey), by: entry.by },
  };
}

/**
 * Fetches and checks every desk key granted to `me`. The granters' sign keys come from
 * GET /api/v1/staff/<id> (one's own from the key file).
 * → {ok, accepted: [key…], refused: [{desk, keyId, by, code}]} or {ok: false, code}.
 */
export async function loadDeskKeys(sodium, api, me) {
  const answer = await api.deskKeys();
  if (!answer.ok) return answer;
  const entries = Array.isArray(answer.data?.keys) ? answer.data.keys : [];
  const signKeys = new Map([[me.staff, me.signPk]]);
  const accepted = [];
  const refused = [];
  for (const entry of entries) {
    if (!signKeys.has(entry.by)) {
      const granter = typeof entry.by === 'string' ? await api.staff(entry.by) : { ok: false };
      const pk = granter.ok ? decode(granter.data?.sign_pk) : null;
      signKeys.set(entry.by, pk && pk.length === 32 ? pk : null);
    }
    const result = acceptDeskKey(sodium, me, entry, signKeys.get(entry.by));
    if (result.ok) accepted.push(result.key);
    else refused.push({ desk: entry.desk, keyId: entry.key_id, by: entry.by, code: result.code });
  }
  return { ok: true, accepted, refused };
}

/**
 * A new desk key pair, made here, with a grant for every holder (`holders`: [{id, box_pk}],
 * the uploader included): the body of POST /api/v1/desks/<desk>/keys, and the key itself.
 */
export function makeDeskKeyUpload(sodium, { desk, me, holders }) {
  const pair = sodium.crypto_box_keypair();
  const grants = holders.map((h) =>
    makeGrant(sodium, { desk, publicKey: pair.publicKey, secretKey: pair.privateKey, to: h.id, toBoxPk: decode(h.box_pk), by: me }),
  );
  const keyId = encode(keyIdBytes(sodium, pair.publicKey));
  return {
    body: { public_key: encode(pair.publicKey), grants },
    key: { desk, keyId, publicKey: pair.publicKey, secretKey: pair.privateKey, fingerprint: deskFingerprint(sodium, pair.publicKey), by: me.staff },
  };
}
