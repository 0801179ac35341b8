-- Signaal schema 3: staff records and the audit trail (PROTOCOL.md §6).
-- The server knows only a staff member's public keys, role and desks. No
-- session is stored (tokens live in the server's memory), so no time of a
-- sign-in is kept anywhere: the audit trail keeps a day, never a time.
-- Portable SQL: no AUTOINCREMENT, integer days, plain BLOBs.

-- id: [a-z0-9_-]{1,32}. disabled: 0 or 1; a disabled record stays, so its id
-- is never given to someone else and the audit trail keeps naming one person.
CREATE TABLE staff (
    id        TEXT PRIMARY KEY,
    role      TEXT NOT NULL CHECK (role IN ('caseworker', 'coordinator')),
    sign_pk   BLOB NOT NULL UNIQUE CHECK (length(sign_pk) = 32),
    box_pk    BLOB NOT NULL CHECK (length(box_pk) = 32),
    disabled  INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    added_day INTEGER NOT NULL
);

-- The desks of a caseworker (a coordinator has none).
CREATE TABLE staff_desks (
    staff TEXT NOT NULL REFERENCES staff (id),
    desk  TEXT NOT NULL,
    PRIMARY KEY (staff, desk)
) WITHOUT ROWID;
CREATE INDEX staff_desks_by_desk ON staff_desks (desk, staff);

-- Staff actions: who, what, on which report (if any), which day. Nothing
-- about a reporter. A withdrawal sets report_id to NULL in its rows.
CREATE TABLE audit (
    day       INTEGER NOT NULL,
    staff     TEXT NOT NULL,
    action    TEXT NOT NULL
              CHECK (action IN ('sign_in', 'grant', 'key_upload', 'report_opened',
                                'status_change', 'message_sent', 'forward', 'disable')),
    report_id BLOB CHECK (report_id IS NULL OR length(report_id) = 16)
);
CREATE INDEX audit_by_day ON audit (day);
