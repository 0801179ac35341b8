#pragma once
// One answer for a range of quarters (PROTOCOL.md §8): the frozen quarters
// as stored, and the names of those not frozen yet. No sums across quarters.
#include "server/common/result.hpp"
#include "server/stats/published_quarter.hpp"
#include "server/stats/quarter.hpp"

#include <span>
#include <vector>

namespace signaal::store {
class database;
}

namespace signaal::stats {

struct stats_answer {
    std::int64_t k = 5; // the configured k; a quarter frozen with another one names its own
    std::vector<published_quarter> quarters;
    std::vector<quarter> not_yet;

    friend bool operator==(const stats_answer&, const stats_answer&) = default;
};

/// The quarters of `range` that are due (freeze_day <= today) and not frozen.
[[nodiscard]] result<std::vector<quarter>>
unfrozen_due(store::database& db, std::span<const quarter> range, std::int64_t today);

/// The answer for `range`: every due quarter must be frozen already (an error
/// otherwise); the others are named in not_yet. Reads only.
[[nodiscard]] result<stats_answer> read_answer(store::database& db, std::span<const quarter> range,
                                               std::int64_t today, std::int64_t k);

/// The quarters the daily run freezes: from the quarter of the earliest
/// stored report (or, with none, the last due quarter) to the last due one,
/// at most max_range_quarters of them, those not frozen yet.
[[nodiscard]] result<std::vector<quarter>> due_for_daily_run(store::database& db,
                                                             std::int64_t today);

} // namespace signaal::stats
