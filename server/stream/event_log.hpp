#pragma once
// The stored events a stream replays (the events table, PROTOCOL.md §6), read
// on a read-only connection of the read pool.
#include "server/common/result.hpp"
#include "server/store/database.hpp"
#include "server/stream/wire_event.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace signaal::stream {

/// The highest seq of `desk`, or 0 when it has no event yet.
[[nodiscard]] result<std::int64_t> last_seq(store::database& db, std::string_view desk);

/// The events of `desk` with after < seq <= upto, ascending, at most `limit`.
[[nodiscard]] result<std::vector<shared_event>>
events_between(store::database& db, std::string_view desk, std::int64_t after, std::int64_t upto,
               std::int64_t limit);

} // namespace signaal::stream
