#include "server/stats/quarter_layout.hpp"

#include <numeric>

namespace signaal::stats {
namespace {

std::int64_t sum_of(const std::vector<cell_count>& cells) {
    return std::accumulate(cells.begin(), cells.end(), std::int64_t{0},
                           [](std::int64_t s, const cell_count& c) { return s + c.count; });
}

std::size_t add_row(quarter_layout& out, const std::string& table, const std::string& desk,
                    const std::string& cell, std::int64_t count) {
    out.rows.push_back({table, desk, cell, count});
    return out.rows.size() - 1;
}

table_rows add_table(quarter_layout& out, std::size_t population, const std::string& table,
                     const std::string& desk, const std::vector<cell_count>& cells) {
    table_rows t;
    t.population = population;
    for (const auto& c : cells) {
        t.cells.push_back(add_row(out, table, desk, c.cell, c.count));
    }
    return t;
}

} // namespace

std::vector<const table_rows*> quarter_layout::tables_of(std::size_t population) const {
    if (population == n) {
        return {&category, &role, &kind, &withdrawn};
    }
    for (const auto& d : desks) {
        if (d.routed == population) {
            return {&d.days_to_ack, &d.closed};
        }
    }
    return {};
}

quarter_layout lay_out(const quarter_counts& counts) {
    quarter_layout out;
    out.n = add_row(out, "n", "", "all", sum_of(counts.category));
    out.category = add_table(out, out.n, "category", "", counts.category);
    out.role = add_table(out, out.n, "role", "", counts.role);
    out.kind = add_table(out, out.n, "kind", "", counts.kind);
    out.withdrawn = add_table(out, out.n, "withdrawn", "", counts.withdrawn);
    for (const auto& d : counts.desks) {
        desk_rows rows;
        rows.routed = add_row(out, "routed", d.desk, "all", sum_of(d.days_to_ack));
        rows.days_to_ack = add_table(out, rows.routed, "days_to_ack", d.desk, d.days_to_ack);
        rows.closed = add_table(out, rows.routed, "closed", d.desk, d.closed);
        out.desks.push_back(std::move(rows));
    }
    return out;
}

} // namespace signaal::stats
