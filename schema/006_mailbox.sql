-- Signaal schema 6: the anonymous follow-up (PROTOCOL.md §7).
-- A message keeps only its day, never a time of day; nothing of a mailbox
-- sign-in is stored (its tokens live in the server's memory).
-- Portable SQL: no AUTOINCREMENT, integer days, plain BLOBs.

-- One sealed message, either way. `no` (max + 1, taken by the writer) orders
-- a report's messages; `id` is 16 random bytes, the only name on the wire.
-- sender: 'reporter' or 'desk:<id>'; recipients: the envelope keys it was
-- sent with, sorted bytewise and joined by ','. signature: the reporter's
-- Ed25519 signature (NULL for a desk's reply).
CREATE TABLE messages (
    no         INTEGER PRIMARY KEY,
    id         BLOB NOT NULL UNIQUE CHECK (length(id) = 16),
    report_no  INTEGER NOT NULL REFERENCES reports (no) ON DELETE CASCADE,
    day        INTEGER NOT NULL,
    sender     TEXT NOT NULL,
    recipients TEXT NOT NULL,
    nonce      BLOB NOT NULL CHECK (length(nonce) = 24),
    ciphertext BLOB NOT NULL,
    signature  BLOB CHECK (signature IS NULL OR length(signature) = 64)
);
CREATE INDEX messages_by_report ON messages (report_no, no);

-- A message key's envelope per recipient: a desk's {key_id, sealed}; the
-- reporter's own copy {sealed}; a desk's reply to her {key_id, nonce, box}.
CREATE TABLE message_envelopes (
    message_no INTEGER NOT NULL REFERENCES messages (no) ON DELETE CASCADE,
    recipient  TEXT NOT NULL,
    key_id     BLOB CHECK (key_id IS NULL OR length(key_id) = 8),
    sealed     BLOB CHECK (sealed IS NULL OR length(sealed) = 80),
    nonce      BLOB CHECK (nonce IS NULL OR length(nonce) = 24),
    box        BLOB CHECK (box IS NULL OR length(box) = 48),
    PRIMARY KEY (message_no, recipient)
) WITHOUT ROWID;

-- A receipt serves one report (409 reply_in_use), and a mailbox sign-in finds
-- its report by mailbox_pk. NULLs (no mailbox, or withdrawn) never clash.
CREATE UNIQUE INDEX reports_by_reply_box ON reports (reply_box_pk);
CREATE UNIQUE INDEX reports_by_reply_mailbox ON reports (reply_mailbox_pk);
