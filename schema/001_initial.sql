-- Signaal schema 1. Only what PROTOCOL.md §5 lists is kept of a report:
-- no address, no user agent, no time of day. Days are UTC 'YYYY-MM-DD'.

-- Desk public keys. The secret halves never reach the server.
-- accept_until: NULL for a desk's current key; for a rotated-out key the unix
-- time until which envelopes naming it are still accepted (an operator action,
-- not a reporter's).
CREATE TABLE desk_keys (
    key_id       BLOB PRIMARY KEY CHECK (length(key_id) = 8),
    desk         TEXT NOT NULL,
    public_key   BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
    added_day    TEXT NOT NULL,
    accept_until INTEGER
);
CREATE UNIQUE INDEX desk_keys_one_current ON desk_keys (desk) WHERE accept_until IS NULL;

-- consent and desks: sorted ids joined by ','; nonce and ciphertext are NULL
-- for a count-only report and after a withdrawal.
CREATE TABLE reports (
    id               BLOB PRIMARY KEY CHECK (length(id) = 16),
    received_day     TEXT NOT NULL,
    role             TEXT NOT NULL,
    category         TEXT NOT NULL,
    consent          TEXT NOT NULL,
    desks            TEXT NOT NULL,
    nonce            BLOB,
    ciphertext       BLOB,
    reply_box_pk     BLOB,
    reply_mailbox_pk BLOB
);

-- One envelope (the report key sealed to a desk key) per routed desk.
CREATE TABLE envelopes (
    report_id BLOB NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    desk      TEXT NOT NULL,
    key_id    BLOB NOT NULL CHECK (length(key_id) = 8),
    sealed    BLOB NOT NULL CHECK (length(sealed) = 80),
    PRIMARY KEY (report_id, desk)
) WITHOUT ROWID;

-- Per routed desk, the handling status and the day it last changed.
CREATE TABLE report_desks (
    report_id   BLOB NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    desk        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'acknowledged', 'in_progress', 'closed')),
    status_day  TEXT NOT NULL,
    PRIMARY KEY (report_id, desk)
) WITHOUT ROWID;

-- The staff inbox and live stream read this in seq order (PROTOCOL.md §6).
CREATE TABLE events (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    desk      TEXT NOT NULL,
    report_id BLOB NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('report', 'message', 'status'))
);
CREATE INDEX events_by_desk ON events (desk, seq);

-- Spent proof-of-work tokens, remembered until they expire so a restart does
-- not make them spendable again. Only a hash of the token is kept.
CREATE TABLE spent_pow (
    token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    expires    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX spent_pow_by_expiry ON spent_pow (expires);
