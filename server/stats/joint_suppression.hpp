#pragma once
// Complementary suppression across the tables of a quarter (docs/statistics.md,
// "Across tables"): after each table is suppressed on its own, hide more until
// a reader who combines every published row with every relation between the
// tables can pin no hidden count and narrow no small one.
#include "server/stats/feasible_ranges.hpp"
#include "server/stats/quarter_layout.hpp"
#include "server/stats/quarter_relations.hpp"

#include <cstdint>
#include <vector>

namespace signaal::stats {

/// The protection a hidden count needs: at least two values, and for a count
/// below k every value from 0 to k - 1 (so "<k" says no more than "<k").
[[nodiscard]] bool is_protected(value_range range, std::int64_t count, std::int64_t k);

/// `hidden` (per row of the layout) after per-table suppression; returns it
/// with the complementary rows added. While some hidden row is not protected,
/// the first such row (answer order) is widened: the shown rows are tried one
/// at a time, smallest count first (among equal counts the earlier row), then
/// each shown population together with the smallest shown cell of each of its
/// tables that has no hidden cell; the first that widens the row's range is
/// hidden. When nothing widens it, or the true counts break the relations,
/// every row is hidden.
[[nodiscard]] std::vector<bool> suppress_jointly(const quarter_layout& layout,
                                                 const quarter_relations& relations,
                                                 std::vector<bool> hidden, std::int64_t k);

} // namespace signaal::stats
