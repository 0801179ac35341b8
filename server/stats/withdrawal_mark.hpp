#pragma once
// What a withdrawal (PROTOCOL.md §7) leaves for the quarterly numbers: the
// day it happened. Called by the withdrawal inside its own write.
#include "server/common/result.hpp"

#include <cstdint>
#include <span>

namespace signaal::store {
class database;
}

namespace signaal::stats {

/// Records that report `report_id` (16 bytes) was withdrawn on `day` (days
/// since 1970-01-01). A second call keeps the first day. Fails, changing
/// nothing, when no such report is stored.
[[nodiscard]] status mark_withdrawn(store::database& db, std::span<const std::uint8_t> report_id,
                                    std::int64_t day);

} // namespace signaal::stats
