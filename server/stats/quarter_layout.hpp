#pragma once
// A quarter's rows in answer order with their true counts, and which rows form
// which table: what the per-table and the joint suppression both work on.
#include "server/stats/published_quarter.hpp"
#include "server/stats/quarter_counts.hpp"

#include <cstddef>
#include <vector>

namespace signaal::stats {

/// One table: its population row and its cell rows (indices into rows).
struct table_rows {
    std::size_t population = 0;
    std::vector<std::size_t> cells;
};

struct desk_rows {
    std::size_t routed = 0;
    table_rows days_to_ack; // 0-7, 8-30, 31+, never
    table_rows closed;      // yes, no
};

struct quarter_layout {
    /// Every row with its true count (count always set), in answer order.
    std::vector<published_cell> rows;
    std::size_t n = 0;
    table_rows category, role, kind, withdrawn; // kind: count_only, with_text
    std::vector<desk_rows> desks;               // in the order of counts.desks

    /// The tables of a population row, in answer order.
    [[nodiscard]] std::vector<const table_rows*> tables_of(std::size_t population) const;
};

[[nodiscard]] quarter_layout lay_out(const quarter_counts& counts);

} // namespace signaal::stats
