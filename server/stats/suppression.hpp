#pragma once
// Small-cell suppression of one one-way table (PROTOCOL.md §8,
// docs/statistics.md): which cells of a partition are shown as "<k".
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace signaal::stats {

/// One cell of a table with its true count.
struct cell_count {
    std::string cell;
    std::int64_t count = 0;

    friend bool operator==(const cell_count&, const cell_count&) = default;
};

struct suppressed_table {
    bool population_shown = false;
    std::vector<bool> hidden; // per cell, in the order given

    friend bool operator==(const suppressed_table&, const suppressed_table&) = default;
};

/// PROTOCOL.md §8 exactly. The population (the sum of the cells) below k hides
/// it and every cell. Otherwise every cell below k (0 included) is hidden; if
/// any is, the smallest shown cell is hidden too, one at a time (among equal
/// counts the bytewise-greatest cell first), until the hidden cells are at
/// least two and sum to at least k.
[[nodiscard]] suppressed_table suppress_section8(std::span<const cell_count> cells, std::int64_t k);

/// What is published: suppress_section8, and if that leaves a hidden cell
/// that someone who knows the rule could narrow to one value, every cell of
/// the table (the population stays shown). §8's own rule leaves such cells
/// (docs/statistics.md shows one), so the guarantee §8 states needs this step.
/// The test is cautious: a hidden cell is free when moving one unit between it
/// and another hidden cell leaves §8's hidden set unchanged; a cell that no
/// such move reaches counts as narrowed.
[[nodiscard]] suppressed_table suppress(std::span<const cell_count> cells, std::int64_t k);

} // namespace signaal::stats
