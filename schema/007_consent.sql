-- Signaal schema 7: stepped consent (PROTOCOL.md §7). A reporter later adds a
-- desk (pending until a current desk seals the report key to it) or removes
-- one (its envelope goes at once). reports.consent and reports.desks stay what
-- the report was sealed with (its AD); the current desks are those holding an
-- envelope, and the current consent is the sealed consent with every change
-- applied in order, so neither is stored twice.
-- Portable SQL: no AUTOINCREMENT, integer days, plain BLOBs.

-- Every change the reporter signed, numbered 1, 2, ... per report. added and
-- removed: sorted desk ids joined by ',' ('' for none). signature: her
-- Ed25519 signature with the report's mailbox key, so any desk can check that
-- she asked for it. A day, never a time of day.
CREATE TABLE consent_changes (
    report_no INTEGER NOT NULL REFERENCES reports (no) ON DELETE CASCADE,
    change_no INTEGER NOT NULL CHECK (change_no > 0),
    day       INTEGER NOT NULL,
    added     TEXT NOT NULL,
    removed   TEXT NOT NULL,
    signature BLOB NOT NULL CHECK (length(signature) = 64),
    PRIMARY KEY (report_no, change_no)
);

-- A desk she added that holds no envelope yet.
CREATE TABLE pending_desks (
    report_no INTEGER NOT NULL REFERENCES reports (no) ON DELETE CASCADE,
    desk      TEXT NOT NULL,
    PRIMARY KEY (report_no, desk)
);
