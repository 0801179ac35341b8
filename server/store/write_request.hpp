#pragma once
// What the HTTP layer hands the report writer, and what it gets back.
#include "server/store/records.hpp"

#include <cstdint>
#include <vector>

namespace signaal::store {

struct write_request {
    report_record report;
    std::vector<std::uint8_t> pow_token_hash; // 32 bytes: BLAKE2b-256 of the spent token
    std::int64_t pow_expires = 0;             // unix time; kept until then to refuse reuse
};

enum class write_outcome {
    committed,  // durably stored (synchronous=FULL): answer 201
    pow_reused, // the token was already spent; nothing of the report stored: 403 pow_invalid
    busy,       // queue full or writer stopping; nothing stored: 429 busy
    failed,     // the database refused or the commit failed; nothing stored: 500
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
    }
    return "unknown";
}

} // namespace signaal::store
