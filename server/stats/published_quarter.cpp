#include "server/stats/published_quarter.hpp"

#include <numeric>

namespace signaal::stats {
namespace {

constexpr std::string_view population_cell = "all";

std::int64_t sum_of(const std::vector<cell_count>& cells) {
    return std::accumulate(cells.begin(), cells.end(), std::int64_t{0},
                           [](std::int64_t s, const cell_count& c) { return s + c.count; });
}

/// A table's cells, suppressed on their own; its population is its own row.
void add_table(published_quarter& out, const std::string& table, const std::string& desk,
               const std::vector<cell_count>& cells) {
    const auto t = suppress(cells, out.k);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        out.rows.push_back({table, desk, cells[i].cell,
                            t.hidden[i] ? std::nullopt : std::optional(cells[i].count)});
    }
}

void add_population(published_quarter& out, const std::string& table, const std::string& desk,
                    std::int64_t population) {
    out.rows.push_back({table, desk, std::string(population_cell),
                        population < out.k ? std::nullopt : std::optional(population)});
}

} // namespace

published_quarter publish(const quarter_counts& counts, std::int64_t k) {
    published_quarter out;
    out.of = counts.of;
    out.k = k;
    add_population(out, "n", "", sum_of(counts.category));
    add_table(out, "category", "", counts.category);
    add_table(out, "role", "", counts.role);
    add_table(out, "kind", "", counts.kind);
    add_table(out, "withdrawn", "", counts.withdrawn);
    for (const auto& d : counts.desks) {
        add_population(out, "routed", d.desk, sum_of(d.days_to_ack));
        add_table(out, "days_to_ack", d.desk, d.days_to_ack);
        add_table(out, "closed", d.desk, d.closed);
    }
    return out;
}

} // namespace signaal::stats
