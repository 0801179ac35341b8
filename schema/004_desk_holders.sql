-- Signaal schema 4: desk keys belong to the desk (PROTOCOL.md §6). The operator
-- registers a desk and names who may make its first key (signaal-admin desk add
-- ID --holder STAFF); a holder makes the key pair on their own machine and
-- uploads the public key (into desk_keys) with a signed grant per holder: the
-- desk secret key sealed to that person's box key. The server keeps grants as
-- bytes and can open none of them.
-- Portable SQL: no AUTOINCREMENT, integer days, plain BLOBs.

-- Registered desks. A desk in the config but not here cannot get a key.
CREATE TABLE desks (
    id TEXT PRIMARY KEY
) WITHOUT ROWID;

-- Who may upload a desk's first key (and a new one while nobody active holds
-- the current key). Later holders are the grantees of the current key.
CREATE TABLE desk_named_holders (
    desk  TEXT NOT NULL REFERENCES desks (id),
    staff TEXT NOT NULL,
    PRIMARY KEY (desk, staff)
) WITHOUT ROWID;

-- One grant per key and receiver. The holders of a key are its grantees who
-- are still active caseworkers of the desk; a grantee who was disabled or left
-- the desk since the key was made is what prompts a rotation, so no other
-- marker is kept. No day and no time: a grant is a staff action, the audit
-- trail keeps its day.
CREATE TABLE desk_key_grants (
    key_id    BLOB NOT NULL REFERENCES desk_keys (key_id),
    to_staff  TEXT NOT NULL,
    wrapped   BLOB NOT NULL CHECK (length(wrapped) = 80),
    by_staff  TEXT NOT NULL,
    signature BLOB NOT NULL CHECK (length(signature) = 64),
    PRIMARY KEY (key_id, to_staff)
) WITHOUT ROWID;
CREATE INDEX desk_key_grants_by_receiver ON desk_key_grants (to_staff);

-- Keys made on the host by the former `desk add` stay served and accepted; their
-- desks count as registered, with no holder until the operator names one (who
-- may then upload a new key, since nobody holds the old one).
INSERT INTO desks (id) SELECT DISTINCT desk FROM desk_keys;
