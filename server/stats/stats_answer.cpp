#include "server/stats/stats_answer.hpp"

#include "server/stats/frozen_quarters.hpp"
#include "server/store/database.hpp"
#include "server/store/statement.hpp"

#include <algorithm>

namespace signaal::stats {

result<std::vector<quarter>> unfrozen_due(store::database& db, std::span<const quarter> range,
                                          std::int64_t today) {
    std::vector<quarter> out;
    for (const auto q : range) {
        if (freeze_day(q) > today) {
            continue;
        }
        auto frozen = load_frozen(db, q);
        if (!frozen) {
            return frozen.error();
        }
        if (!*frozen) {
            out.push_back(q);
        }
    }
    return out;
}

result<stats_answer> read_answer(store::database& db, std::span<const quarter> range,
                                 std::int64_t today, std::int64_t k) {
    stats_answer answer;
    answer.k = k;
    for (const auto q : range) {
        if (freeze_day(q) > today) {
            answer.not_yet.push_back(q);
            continue;
        }
        auto frozen = load_frozen(db, q);
        if (!frozen) {
            return frozen.error();
        }
        if (!*frozen) {
            return fail("quarter " + quarter_text(q) + " is due but not frozen");
        }
        answer.quarters.push_back(std::move(**frozen));
    }
    return answer;
}

result<std::vector<quarter>> due_for_daily_run(store::database& db, std::int64_t today) {
    quarter last = previous_quarter(quarter_of_day(today));
    if (freeze_day(last) > today) {
        last = previous_quarter(last);
    }
    if (last.year < first_year) {
        return std::vector<quarter>{};
    }
    auto earliest = store::statement::prepare(db, "SELECT min(received_day) FROM reports");
    if (!earliest) {
        return earliest.error();
    }
    auto row = earliest->step();
    if (!row) {
        return row.error();
    }
    quarter from = last;
    if (*row && !earliest->column_is_null(0)) {
        from = std::min(last, quarter_of_day(earliest->column_int64(0)));
    }
    while (quarter_range(from, last).has_error()) {
        from = next_quarter(from); // too long a range: the newest quarters first
    }
    auto range = quarter_range(from, last);
    return unfrozen_due(db, *range, today);
}

} // namespace signaal::stats
