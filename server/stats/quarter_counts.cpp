#include "server/stats/quarter_counts.hpp"

#include "server/store/database.hpp"
#include "server/store/statement.hpp"

#include <map>

namespace signaal::stats {
namespace {

constexpr std::int64_t within_a_week = 7;
constexpr std::int64_t within_a_month = 30;

/// A tally by id that starts with every configured id at 0; std::map keeps
/// the ids sorted bytewise.
class id_tally {
  public:
    explicit id_tally(const std::vector<std::string>& configured) {
        for (const auto& id : configured) {
            counts_.emplace(id, 0);
        }
    }
    void add(const std::string& id) { ++counts_[id]; }
    [[nodiscard]] std::vector<cell_count> cells() const {
        std::vector<cell_count> out;
        for (const auto& [id, count] : counts_) {
            out.push_back({id, count});
        }
        return out;
    }

  private:
    std::map<std::string, std::int64_t> counts_;
};

struct desk_tally {
    std::int64_t week = 0, month = 0, later = 0, never = 0;
    std::int64_t closed = 0, open = 0;
};

} // namespace

result<quarter_counts> count_quarter(store::database& db, quarter q, const configured_ids& ids) {
    const std::int64_t first = first_day(q);
    const std::int64_t last = last_day(q);
    const std::int64_t cutoff = cutoff_day(q);

    quarter_counts out;
    out.of = q;
    id_tally category(ids.categories);
    id_tally role(ids.roles);
    std::int64_t count_only = 0, with_text = 0, withdrawn = 0, kept = 0;

    auto reports =
        store::statement::prepare(db, "SELECT category, role, desks = '', "
                                      "withdrawn_day IS NOT NULL AND withdrawn_day <= ?3 "
                                      "FROM reports WHERE received_day BETWEEN ?1 AND ?2");
    if (!reports) {
        return reports.error();
    }
    reports->bind(1, first);
    reports->bind(2, last);
    reports->bind(3, cutoff);
    for (;;) {
        auto row = reports->step();
        if (!row) {
            return row.error();
        }
        if (!*row) {
            break;
        }
        category.add(reports->column_text(0));
        role.add(reports->column_text(1));
        ++(reports->column_int64(2) != 0 ? count_only : with_text);
        ++(reports->column_int64(3) != 0 ? withdrawn : kept);
    }

    std::map<std::string, desk_tally> desks;
    for (const auto& d : ids.desks) {
        desks.emplace(d, desk_tally{});
    }
    for (const auto& [category_id, routed_to] : ids.routing) {
        out.routes[category_id].insert(routed_to.begin(), routed_to.end());
    }
    auto routed = store::statement::prepare(
        db, "SELECT d.desk, r.received_day, d.ack_day, d.closed_day, r.category "
            "FROM report_desks d JOIN reports r ON r.no = d.report_no "
            "WHERE r.received_day BETWEEN ?1 AND ?2");
    if (!routed) {
        return routed.error();
    }
    routed->bind(1, first);
    routed->bind(2, last);
    for (;;) {
        auto row = routed->step();
        if (!row) {
            return row.error();
        }
        if (!*row) {
            break;
        }
        auto& t = desks[routed->column_text(0)];
        out.routes[routed->column_text(4)].insert(routed->column_text(0));
        const std::int64_t received = routed->column_int64(1);
        if (routed->column_is_null(2) || routed->column_int64(2) > cutoff) {
            ++t.never;
        } else {
            const std::int64_t days = routed->column_int64(2) - received;
            ++(days <= within_a_week ? t.week : days <= within_a_month ? t.month : t.later);
        }
        const bool closed = !routed->column_is_null(3) && routed->column_int64(3) <= cutoff;
        ++(closed ? t.closed : t.open);
    }

    out.category = category.cells();
    out.role = role.cells();
    out.kind = {{"count_only", count_only}, {"with_text", with_text}};
    out.withdrawn = {{"withdrawn", withdrawn}, {"kept", kept}};
    for (const auto& [desk, t] : desks) {
        out.desks.push_back(
            {desk,
             {{"0-7", t.week}, {"8-30", t.month}, {"31+", t.later}, {"never", t.never}},
             {{"yes", t.closed}, {"no", t.open}}});
    }
    return out;
}

} // namespace signaal::stats
