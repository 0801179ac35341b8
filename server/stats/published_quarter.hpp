#pragma once
// A quarter as published: its rows in answer order, each a count or "<k"
// (PROTOCOL.md §8). This, not the true counts, is what is frozen and stored.
#include "server/stats/quarter.hpp"
#include "server/stats/quarter_counts.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace signaal::stats {

/// One published row, as the CSV writes it: the populations are table "n" and
/// "routed" with cell "all"; desk is "" for the quarter-wide tables.
struct published_cell {
    std::string table;
    std::string desk;
    std::string cell;
    std::optional<std::int64_t> count; // nullopt: suppressed, shown as "<k"

    friend bool operator==(const published_cell&, const published_cell&) = default;
};

struct published_quarter {
    quarter of;
    std::int64_t k = 5;
    /// n, category, role, kind, withdrawn; then per desk (sorted) routed,
    /// days_to_ack, closed: the order of the JSON and of the CSV.
    std::vector<published_cell> rows;

    friend bool operator==(const published_quarter&, const published_quarter&) = default;
};

/// Suppresses each table on its own (suppress()) with threshold k, then
/// across the tables (suppress_jointly()).
[[nodiscard]] published_quarter publish(const quarter_counts& counts, std::int64_t k);

} // namespace signaal::stats
