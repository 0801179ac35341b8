#pragma once
// One desk's events in seq order (PROTOCOL.md §6, inbox): each desk is
// numbered on its own, so a read names exactly one desk and sees nothing of
// another desk's traffic.
#include "server/common/result.hpp"
#include "server/store/database.hpp"
#include "server/store/event_record.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace signaal::store {

/// The events of `desk` with seq > `after`, ascending, at most `limit`.
[[nodiscard]] result<std::vector<event_record>>
read_desk_events(database& db, std::string_view desk, std::int64_t after, std::int64_t limit);

} // namespace signaal::store
