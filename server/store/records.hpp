#pragma once
// What the store keeps of a report and of a desk key (PROTOCOL.md §5, §6):
// plain data, bytes in and bytes out, no crypto.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace signaal::store {

/// The report key sealed to one desk key.
struct envelope {
    std::string desk;
    std::vector<std::uint8_t> key_id; // 8 bytes
    std::vector<std::uint8_t> sealed; // 80 bytes

    friend bool operator==(const envelope&, const envelope&) = default;
};

struct report_record {
    std::vector<std::uint8_t> id; // 16 bytes
    std::string received_day;     // UTC YYYY-MM-DD, never a time of day (an integer day in SQL)
    std::string role, category;
    std::vector<std::string> consent;            // sorted desk ids
    std::vector<std::string> desks;              // sorted; empty for a count-only report
    std::vector<std::uint8_t> nonce, ciphertext; // empty for count-only
    std::vector<envelope> envelopes;             // one per desk, sorted by desk
    std::vector<std::uint8_t> reply_box_pk, reply_mailbox_pk; // empty when none

    friend bool operator==(const report_record&, const report_record&) = default;
};

struct desk_key {
    std::string desk;
    std::vector<std::uint8_t> key_id;     // 8 bytes
    std::vector<std::uint8_t> public_key; // 32 bytes, X25519
    std::string added_day;
    std::optional<std::int64_t> accept_until; // nullopt: the desk's current key

    friend bool operator==(const desk_key&, const desk_key&) = default;
};

} // namespace signaal::store
