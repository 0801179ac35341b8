#include "server/stats/withdrawal_mark.hpp"

#include "server/store/database.hpp"
#include "server/store/statement.hpp"

namespace signaal::stats {

status mark_withdrawn(store::database& db, std::span<const std::uint8_t> report_id,
                      std::int64_t day) {
    auto mark = store::statement::prepare(
        db, "UPDATE reports SET withdrawn_day = coalesce(withdrawn_day, ?2) WHERE id = ?1");
    if (!mark) {
        return mark.error();
    }
    mark->bind(1, report_id);
    mark->bind(2, day);
    if (auto done = mark->run(); !done) {
        return done;
    }
    if (db.changes() != 1) {
        return fail("no such report");
    }
    return {};
}

} // namespace signaal::stats
