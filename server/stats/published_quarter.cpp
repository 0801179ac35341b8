#include "server/stats/published_quarter.hpp"

#include "server/stats/joint_suppression.hpp"
#include "server/stats/quarter_layout.hpp"
#include "server/stats/quarter_relations.hpp"

namespace signaal::stats {
namespace {

/// A table's cells, suppressed on their own (suppress()).
void hide_in_table(std::vector<bool>& hidden, const table_rows& rows,
                   const std::vector<cell_count>& cells, std::int64_t k) {
    const auto t = suppress(cells, k);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        hidden[rows.cells.at(i)] = t.hidden[i];
    }
}

} // namespace

published_quarter publish(const quarter_counts& counts, std::int64_t k) {
    const auto layout = lay_out(counts);
    std::vector<bool> hidden(layout.rows.size(), false);
    hidden[layout.n] = *layout.rows[layout.n].count < k;
    hide_in_table(hidden, layout.category, counts.category, k);
    hide_in_table(hidden, layout.role, counts.role, k);
    hide_in_table(hidden, layout.kind, counts.kind, k);
    hide_in_table(hidden, layout.withdrawn, counts.withdrawn, k);
    for (std::size_t d = 0; d < layout.desks.size(); ++d) {
        const auto& rows = layout.desks[d];
        hidden[rows.routed] = *layout.rows[rows.routed].count < k;
        hide_in_table(hidden, rows.days_to_ack, counts.desks[d].days_to_ack, k);
        hide_in_table(hidden, rows.closed, counts.desks[d].closed, k);
    }
    hidden = suppress_jointly(layout, relations_of(layout, counts), std::move(hidden), k);

    published_quarter out;
    out.of = counts.of;
    out.k = k;
    out.rows = layout.rows;
    for (std::size_t i = 0; i < out.rows.size(); ++i) {
        if (hidden[i]) {
            out.rows[i].count.reset();
        }
    }
    return out;
}

} // namespace signaal::stats
