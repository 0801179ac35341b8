#pragma once
// Frozen quarters in the store (schema/005_stats.sql): a quarter's published
// rows and its k, written once and read back unchanged ever after.
#include "server/common/result.hpp"
#include "server/stats/published_quarter.hpp"
#include "server/stats/quarter_counts.hpp"

#include <optional>
#include <span>

namespace signaal::store {
class database;
}

namespace signaal::stats {

/// What a freeze needs besides the store: the threshold and the ids configured now.
struct freeze_policy {
    std::int64_t k = 5;
    configured_ids ids;
};

/// The frozen quarter, or nullopt when `q` is not frozen yet.
[[nodiscard]] result<std::optional<published_quarter>> load_frozen(store::database& db, quarter q);

/// Stores `p`. Fails, changing nothing, when its quarter is frozen already.
/// The caller holds the write transaction (or savepoint) it belongs to.
[[nodiscard]] status save_frozen(store::database& db, const published_quarter& p);

/// Freezes every quarter of `quarters` that is not frozen yet: counts it as of
/// its cut-off, suppresses, stores. Each must be due (freeze_day <= today),
/// else nothing is written and an error returned. The caller holds one write
/// transaction (or savepoint) around it, so a quarter is frozen once even when
/// two callers race. Returns how many quarters it froze.
[[nodiscard]] result<std::size_t> freeze_quarters(store::database& db,
                                                  std::span<const quarter> quarters,
                                                  std::int64_t today, const freeze_policy& policy);

} // namespace signaal::stats
