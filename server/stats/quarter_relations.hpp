#pragma once
// Everything a reader knows about how a quarter's published rows hang
// together, as linear relations over nonnegative integers (docs/statistics.md,
// "What a reader knows"). Variable i is row i of the layout; latent counts
// (with text per category, reports of a category routed to a desk) follow.
#include "server/stats/quarter_counts.hpp"
#include "server/stats/quarter_layout.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace signaal::stats {

struct linear_term {
    std::size_t variable = 0;
    std::int64_t coefficient = 0;
};

/// sum(coefficient * variable) == 0, or >= 0.
struct linear_relation {
    std::vector<linear_term> terms;
    bool equality = true;
};

struct quarter_relations {
    std::size_t variables = 0; // rows, then latent counts
    std::vector<linear_relation> relations;
};

/// The margins (every table sums to its population), and the ties between
/// tables: withdrawn <= with_text; per desk, yes + never <= routed; and the
/// routing (each report with text goes to at least one desk that may receive
/// its category, a count-only report to none), through latent counts
/// wt_c <= category_c, sum_c wt_c = with_text, 0 <= y_cd <= wt_c,
/// sum_d y_cd >= wt_c, sum_c y_cd = routed_d. Over the integers this is exact:
/// every solution is the tables of some set of reports.
[[nodiscard]] quarter_relations relations_of(const quarter_layout& layout,
                                             const quarter_counts& counts);

} // namespace signaal::stats
