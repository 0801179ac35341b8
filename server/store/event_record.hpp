#pragma once
// One event as the writer committed it (PROTOCOL.md §6): what the inbox lists
// and the stream sends. `seq` counts within the desk.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace signaal::store {

struct event_record {
    std::string desk;
    std::int64_t seq = 0;
    std::vector<std::uint8_t> report_id; // 16 bytes
    std::string kind;                    // report, message, status, withdrawn, consent

    friend bool operator==(const event_record&, const event_record&) = default;
};

/// Told every event of one durable commit, ascending seq within each desk, on
/// the writer's thread: it must be quick and must not throw (post work elsewhere).
using event_listener = std::function<void(const std::vector<event_record>& committed)>;

} // namespace signaal::store
