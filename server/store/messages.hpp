#pragma once
// Sealed messages of the anonymous follow-up (PROTOCOL.md §7) as stored: each
// with its day (never a time of day), sender, recipients and one envelope per
// recipient. A reader sees only messages with an envelope for one of its
// names (desk ids, or "reporter"), and only those envelopes.
#include "server/common/result.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace signaal::store {

struct message_envelope {
    std::string recipient;                // a desk id, or "reporter"
    std::vector<std::uint8_t> key_id;     // 8 bytes; empty for the reporter's own copy
    std::vector<std::uint8_t> sealed;     // 80 bytes; empty in a desk's reply to the reporter
    std::vector<std::uint8_t> nonce, box; // 24 + 48 bytes: a desk's reply to the reporter
};

struct message_record {
    std::vector<std::uint8_t> id;        // 16 random bytes
    std::int64_t day = 0;                // days since 1970-01-01
    std::string sender;                  // "reporter" or "desk:<id>"
    std::vector<std::string> recipients; // sorted bytewise: the envelope keys
    std::vector<std::uint8_t> nonce, ciphertext;
    std::vector<std::uint8_t> signature;     // 64 bytes from the reporter; empty from a desk
    std::vector<message_envelope> envelopes; // sorted by recipient
};

/// Stores a message of report `report_no` with its envelopes (inside the
/// caller's transaction: the writer's job).
[[nodiscard]] status insert_message(database& db, std::int64_t report_no,
                                    const message_record& message);

/// The messages of report `report_no` that hold an envelope for one of
/// `readers`, in stored order, with the envelopes cut down to `readers`.
[[nodiscard]] result<std::vector<message_record>>
read_messages(database& db, std::int64_t report_no, const std::vector<std::string>& readers);

/// Deletes every message of a report with its envelopes (a withdrawal).
[[nodiscard]] status delete_messages(database& db, std::int64_t report_no);

} // namespace signaal::store
