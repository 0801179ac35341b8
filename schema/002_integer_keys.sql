-- Signaal schema 2: each report costs as few random page writes as it can.
-- Reports are keyed by an increasing integer `no` (max + 1, taken by the
-- writer), so the report, its envelopes and its per-desk status append at the
-- right edge of their B-trees; the random public id lives only in the narrow
-- unique index reports_by_id. Events are numbered per desk (PROTOCOL.md §6).
-- Days are integers: days since 1970-01-01 UTC. Nothing holds a time of day:
-- a spent proof-of-work token is kept until a day, not a second.
-- Portable SQL: no AUTOINCREMENT, integer days, plain BLOBs.

ALTER TABLE reports RENAME TO reports_v1;
ALTER TABLE envelopes RENAME TO envelopes_v1;
ALTER TABLE report_desks RENAME TO report_desks_v1;
ALTER TABLE events RENAME TO events_v1;
ALTER TABLE spent_pow RENAME TO spent_pow_v1;

-- consent and desks: sorted ids joined by ','; nonce and ciphertext are NULL
-- for a count-only report and after a withdrawal. `no` says only the order of
-- arrival between commit groups: the writer shuffles the rows of one group.
CREATE TABLE reports (
    no               INTEGER PRIMARY KEY,
    id               BLOB NOT NULL CHECK (length(id) = 16),
    received_day     INTEGER NOT NULL,
    role             TEXT NOT NULL,
    category         TEXT NOT NULL,
    consent          TEXT NOT NULL,
    desks            TEXT NOT NULL,
    nonce            BLOB,
    ciphertext       BLOB,
    reply_box_pk     BLOB,
    reply_mailbox_pk BLOB
);
CREATE UNIQUE INDEX reports_by_id ON reports (id);

-- One envelope (the report key sealed to a desk key) per desk holding one.
CREATE TABLE envelopes (
    report_no INTEGER NOT NULL REFERENCES reports (no) ON DELETE CASCADE,
    desk      TEXT NOT NULL,
    key_id    BLOB NOT NULL CHECK (length(key_id) = 8),
    sealed    BLOB NOT NULL CHECK (length(sealed) = 80),
    PRIMARY KEY (report_no, desk)
) WITHOUT ROWID;

-- Per routed desk: the handling status, the day it last changed, and the days
-- of the first acknowledgement and the first close (PROTOCOL.md §8).
CREATE TABLE report_desks (
    report_no   INTEGER NOT NULL REFERENCES reports (no) ON DELETE CASCADE,
    desk        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'acknowledged', 'in_progress', 'closed')),
    status_day  INTEGER NOT NULL,
    ack_day     INTEGER,
    closed_day  INTEGER,
    PRIMARY KEY (report_no, desk)
) WITHOUT ROWID;

-- Per desk, seq 1, 2, ... in commit order (max + 1 within the desk): no desk
-- learns anything of another desk's traffic. Inbox and stream read by (desk, seq).
CREATE TABLE events (
    desk      TEXT NOT NULL,
    seq       INTEGER NOT NULL CHECK (seq > 0),
    report_no INTEGER NOT NULL,
    kind      TEXT NOT NULL
              CHECK (kind IN ('report', 'message', 'status', 'withdrawn', 'consent')),
    PRIMARY KEY (desk, seq)
) WITHOUT ROWID;

-- Spent proof-of-work tokens (only a hash), kept until forget_day so that a
-- restart does not make them spendable again. forget_day follows from the
-- report's received day alone, never from the token's second of expiry. The
-- writer checks reuse in memory (loaded from here at start), so this table is
-- only appended to: no key or index on the hash, whose random order would cost
-- a random page write per report. Rowids follow the days; the prune scans a
-- table that holds only a few days.
CREATE TABLE spent_pow (
    forget_day INTEGER NOT NULL,
    token_hash BLOB NOT NULL CHECK (length(token_hash) = 32)
);

-- Schema 1's rows, in their order of arrival (rowid). Its days are 'YYYY-MM-DD'.
INSERT INTO reports (no, id, received_day, role, category, consent, desks, nonce, ciphertext,
                     reply_box_pk, reply_mailbox_pk)
SELECT rowid, id, CAST(julianday(received_day) - 2440587.5 AS INTEGER), role, category, consent,
       desks, nonce, ciphertext, reply_box_pk, reply_mailbox_pk
FROM reports_v1 ORDER BY rowid;

INSERT INTO envelopes (report_no, desk, key_id, sealed)
SELECT r.no, e.desk, e.key_id, e.sealed
FROM envelopes_v1 e JOIN reports r ON r.id = e.report_id
ORDER BY r.no, e.desk;

INSERT INTO report_desks (report_no, desk, status, status_day, ack_day, closed_day)
SELECT r.no, d.desk, d.status, CAST(julianday(d.status_day) - 2440587.5 AS INTEGER),
       CASE WHEN d.status <> 'new'
            THEN CAST(julianday(d.status_day) - 2440587.5 AS INTEGER) END,
       CASE WHEN d.status = 'closed'
            THEN CAST(julianday(d.status_day) - 2440587.5 AS INTEGER) END
FROM report_desks_v1 d JOIN reports r ON r.id = d.report_id
ORDER BY r.no, d.desk;

-- Schema 1 numbered events across all desks; renumber within each desk, same order.
INSERT INTO events (desk, seq, report_no, kind)
SELECT e.desk, ROW_NUMBER() OVER (PARTITION BY e.desk ORDER BY e.seq), r.no, e.kind
FROM events_v1 e JOIN reports r ON r.id = e.report_id;

-- A token expiring at second T is certainly expired on day T / 86400 + 1.
INSERT INTO spent_pow (forget_day, token_hash)
SELECT expires / 86400 + 1, token_hash FROM spent_pow_v1 ORDER BY expires;

DROP TABLE events_v1;
DROP TABLE envelopes_v1;
DROP TABLE report_desks_v1;
DROP TABLE spent_pow_v1;
DROP TABLE reports_v1;
