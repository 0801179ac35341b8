#pragma once
// Key uploads and grants (PROTOCOL.md §6): the body's shape, then the checks
// against the stored desk, staff and grants, then the writes. The checks and
// the writes run together inside one writer job, so what was checked is what
// is written; a refusal is the answer to send and the job rolls back.
#include "server/api/message.hpp"
#include "server/json/json.hpp"
#include "server/store/database.hpp"
#include "server/store/desk_registry.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace signaal::api {

/// POST /api/v1/desks/<desk>/keys, read.
struct key_upload {
    std::string desk;
    std::vector<std::uint8_t> public_key; // 32 bytes
    std::vector<std::uint8_t> key_id;     // 8 bytes, key_id_of(public_key)
    std::vector<store::key_grant> grants; // each of this desk and key, one per receiver
};

/// One grant object: every field present, of its type and length (400).
[[nodiscard]] answer_or<store::key_grant> read_grant(const json::value& body);

/// The upload body for `desk`: a grant for another desk or key is 400, and
/// so is a second grant to the same person.
[[nodiscard]] answer_or<key_upload> read_key_upload(const json::value& body, std::string_view desk);

/// What the rules need to know of the moment: who asks and which day it is.
struct change_context {
    std::string caller; // a caseworker's staff id (from the token)
    std::int64_t now_unix = 0;
    unsigned grace_days = 0; // reports.desk_key_grace_days
};

/// Checks and stores an upload, in this order: the desk is registered, the
/// caller is an active caseworker of it and a named holder (first key, or
/// nobody active holds the current one) or a current holder, and made every
/// grant (403); the key is new (400); a grant for every holder and the
/// uploader, each to an active caseworker of the desk (422
/// consent_violation); each grant signed by the caller (422 bad_signature).
/// Writes the key (the previous one accepted until the end of the grace
/// days, listed forever), the grants and a key_upload audit row.
[[nodiscard]] answer_or<void> apply_key_upload(store::database& db, const key_upload& upload,
                                               const change_context& context);

/// Checks and stores one grant: `by` is the caller, who holds that key as an
/// active caseworker of its desk (403); `to` is an active caseworker of the
/// desk (422 consent_violation); the signature verifies with the caller's
/// sign_pk (422 bad_signature). Writes the grant and a grant audit row.
[[nodiscard]] answer_or<void> apply_grant(store::database& db, const store::key_grant& grant,
                                          const change_context& context);

/// The unix second until which a key rotated out at `now_unix` stays accepted:
/// the end of the `grace_days`-th day after today (at least that many whole
/// days), or the start of today for 0 (refused at once). Whole days, so the
/// store keeps no time of day of a rotation.
[[nodiscard]] std::int64_t accept_rotated_until(std::int64_t now_unix, unsigned grace_days);

} // namespace signaal::api
