// The signed sign-in messages (PROTOCOL.md sections 6 and 7). Both name the origin the
// client connected to, so a look-alike server cannot relay the signature elsewhere.

const utf8 = new TextEncoder();

function joined(prefix, parts, challenge) {
  const head = utf8.encode(`${prefix}\n${parts.map((p) => `${p}\n`).join('')}`);
  const out = new Uint8Array(head.length + challenge.length);
  out.set(head);
  out.set(challenge, head.length);
  return out;
}

/** `signaal/login/v1\n` origin `\n` staff `\n` challenge (32 raw bytes). */
export const staffLoginMessage = (origin, staff, challenge) => joined('signaal/login/v1', [origin, staff], challenge);

/** `signaal/mailbox/v1\n` origin `\n` challenge (32 raw bytes). */
export const mailboxLoginMessage = (origin, challenge) => joined('signaal/mailbox/v1', [origin], challenge);
