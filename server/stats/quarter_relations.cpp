#include "server/stats/quarter_relations.hpp"

#include <map>

namespace signaal::stats {
namespace {

class relation_builder {
  public:
    explicit relation_builder(std::size_t rows) { out_.variables = rows; }

    std::size_t add_variable() { return out_.variables++; }

    /// sum(plus) - sum(minus) == 0 (equality) or >= 0.
    void add(const std::vector<std::size_t>& plus, const std::vector<std::size_t>& minus,
             bool equality) {
        linear_relation r;
        r.equality = equality;
        for (const auto v : plus) {
            r.terms.push_back({v, 1});
        }
        for (const auto v : minus) {
            r.terms.push_back({v, -1});
        }
        out_.relations.push_back(std::move(r));
    }

    /// population == sum of the table's cells.
    void add_margin(const table_rows& t) { add({t.population}, t.cells, true); }

    quarter_relations take() { return std::move(out_); }

  private:
    quarter_relations out_;
};

} // namespace

quarter_relations relations_of(const quarter_layout& layout, const quarter_counts& counts) {
    relation_builder b(layout.rows.size());
    for (const auto* t : layout.tables_of(layout.n)) {
        b.add_margin(*t);
    }
    for (const auto& d : layout.desks) {
        b.add_margin(d.days_to_ack);
        b.add_margin(d.closed);
    }

    const std::size_t with_text = layout.kind.cells.at(1);
    // Only a report with text has a mailbox, and only a mailbox can withdraw.
    b.add({with_text}, {layout.withdrawn.cells.at(0)}, false);
    // A close is also an acknowledgement: closed by the cut-off is never "never".
    for (const auto& d : layout.desks) {
        b.add({d.routed}, {d.closed.cells.at(0), d.days_to_ack.cells.at(3)}, false);
    }

    // Routing. Desk rows by name, for the categories' routes.
    std::map<std::string, std::size_t> desk_index;
    for (std::size_t i = 0; i < layout.desks.size(); ++i) {
        desk_index.emplace(counts.desks.at(i).desk, i);
    }
    std::vector<std::vector<std::size_t>> routed_from(layout.desks.size());
    std::vector<std::size_t> text_by_category;
    for (const auto row : layout.category.cells) {
        const auto routes = counts.routes.find(layout.rows[row].cell);
        if (routes == counts.routes.end()) {
            continue; // no desk may receive it: its reports are count only
        }
        std::vector<std::size_t> to_desks;
        for (const auto& desk : routes->second) {
            if (const auto d = desk_index.find(desk); d != desk_index.end()) {
                to_desks.push_back(d->second);
            }
        }
        if (to_desks.empty()) {
            continue;
        }
        const std::size_t wt = b.add_variable();
        text_by_category.push_back(wt);
        b.add({row}, {wt}, false); // wt_c <= category_c
        std::vector<std::size_t> ys;
        for (const auto d : to_desks) {
            const std::size_t y = b.add_variable();
            ys.push_back(y);
            routed_from[d].push_back(y);
            b.add({wt}, {y}, false); // a report counts at most once per desk
        }
        b.add(ys, {wt}, false); // every report with text reaches a desk
    }
    b.add({with_text}, text_by_category, true);
    for (std::size_t d = 0; d < layout.desks.size(); ++d) {
        b.add({layout.desks[d].routed}, routed_from[d], true);
    }
    return b.take();
}

} // namespace signaal::stats
