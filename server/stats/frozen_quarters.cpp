#include "server/stats/frozen_quarters.hpp"

#include "server/store/database.hpp"
#include "server/store/statement.hpp"

namespace signaal::stats {

result<std::optional<published_quarter>> load_frozen(store::database& db, quarter q) {
    const std::string name = quarter_text(q);
    auto head = store::statement::prepare(db, "SELECT k FROM stats_quarters WHERE quarter = ?1");
    if (!head) {
        return head.error();
    }
    head->bind(1, name);
    auto found = head->step();
    if (!found) {
        return found.error();
    }
    if (!*found) {
        return std::optional<published_quarter>{};
    }
    published_quarter p;
    p.of = q;
    p.k = head->column_int64(0);

    auto rows = store::statement::prepare(db, "SELECT table_name, desk, cell, count "
                                              "FROM stats_cells WHERE quarter = ?1 "
                                              "ORDER BY position");
    if (!rows) {
        return rows.error();
    }
    rows->bind(1, name);
    for (;;) {
        auto row = rows->step();
        if (!row) {
            return row.error();
        }
        if (!*row) {
            break;
        }
        p.rows.push_back(
            {rows->column_text(0), rows->column_text(1), rows->column_text(2),
             rows->column_is_null(3) ? std::nullopt : std::optional(rows->column_int64(3))});
    }
    return std::optional(std::move(p));
}

status save_frozen(store::database& db, const published_quarter& p) {
    const std::string name = quarter_text(p.of);
    auto head = store::statement::prepare(db, "INSERT INTO stats_quarters (quarter, k) "
                                              "VALUES (?1, ?2)");
    if (!head) {
        return head.error();
    }
    head->bind(1, name);
    head->bind(2, p.k);
    if (auto done = head->run(); !done) {
        return fail("cannot store quarter " + name + " (frozen already?): " + done.error().message);
    }
    auto cell = store::statement::prepare(
        db, "INSERT INTO stats_cells (quarter, position, table_name, desk, cell, count) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!cell) {
        return cell.error();
    }
    std::int64_t position = 0;
    for (const auto& r : p.rows) {
        cell->bind(1, name);
        cell->bind(2, position++);
        cell->bind(3, r.table);
        cell->bind(4, r.desk);
        cell->bind(5, r.cell);
        if (r.count) {
            cell->bind(6, *r.count);
        } else {
            cell->bind_null(6);
        }
        if (auto done = cell->run(); !done) {
            return done;
        }
        cell->reset();
    }
    return {};
}

result<std::size_t> freeze_quarters(store::database& db, std::span<const quarter> quarters,
                                    std::int64_t today, const freeze_policy& policy) {
    for (const auto q : quarters) {
        if (freeze_day(q) > today) {
            return fail("quarter " + quarter_text(q) + " is not closed and settled yet");
        }
    }
    std::size_t frozen = 0;
    for (const auto q : quarters) {
        auto existing = load_frozen(db, q);
        if (!existing) {
            return existing.error();
        }
        if (*existing) {
            continue;
        }
        auto counts = count_quarter(db, q, policy.ids);
        if (!counts) {
            return counts.error();
        }
        if (auto saved = save_frozen(db, publish(*counts, policy.k)); !saved) {
            return saved.error();
        }
        ++frozen;
    }
    return frozen;
}

} // namespace signaal::stats
