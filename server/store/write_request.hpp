#pragma once
// What the report writer is handed, and the outcome it gives back. The caller
// maps outcomes to its own answers; the store knows nothing of HTTP.
#include "server/store/records.hpp"

#include <cstdint>
#include <vector>

namespace signaal::store {

struct write_request {
    report_record report;
    /// 32 bytes: BLAKE2b-256 of the spent proof-of-work token. It is kept for
    /// whole days after report.received_day, never until its second of expiry.
    std::vector<std::uint8_t> pow_token_hash;
};

enum class write_outcome {
    committed,    // durably stored (synchronous=FULL)
    pow_reused,   // the token was already spent; nothing of the report stored
    busy,         // queue full or writer stopping; nothing stored
    failed,       // the database refused or the commit failed; nothing stored
    reply_in_use, // its box_pk or mailbox_pk serves a stored report; nothing stored
};

[[nodiscard]] constexpr const char* to_string(write_outcome o) {
    switch (o) {
    case write_outcome::committed:
        return "committed";
    case write_outcome::pow_reused:
        return "pow_reused";
    case write_outcome::busy:
        return "busy";
    case write_outcome::failed:
        return "failed";
    case write_outcome::reply_in_use:
        return "reply_in_use";
    }
    return "unknown";
}

} // namespace signaal::store
