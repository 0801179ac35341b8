#include "server/stream/event_log.hpp"

#include "server/store/statement.hpp"
#include "server/stream/event_hub.hpp"

namespace signaal::stream {

result<std::int64_t> last_seq(store::database& db, std::string_view desk) {
    auto st = store::statement::prepare(db, "SELECT max(seq) FROM events WHERE desk = ?1");
    if (!st) {
        return st.error();
    }
    st->bind(1, desk);
    auto row = st->step();
    if (!row) {
        return row.error();
    }
    if (!*row || st->column_is_null(0)) {
        return std::int64_t{0};
    }
    return st->column_int64(0);
}

result<std::vector<shared_event>> events_between(store::database& db, std::string_view desk,
                                                 std::int64_t after, std::int64_t upto,
                                                 std::int64_t limit) {
    auto st = store::statement::prepare(db, "SELECT e.seq, r.id, e.kind FROM events e "
                                            "JOIN reports r ON r.no = e.report_no "
                                            "WHERE e.desk = ?1 AND e.seq > ?2 AND e.seq <= ?3 "
                                            "ORDER BY e.seq LIMIT ?4");
    if (!st) {
        return st.error();
    }
    st->bind(1, desk);
    st->bind(2, after);
    st->bind(3, upto);
    st->bind(4, limit);
    std::vector<shared_event> out;
    for (;;) {
        auto row = st->step();
        if (!row) {
            return row.error();
        }
        if (!*row) {
            break;
        }
        out.push_back(make_event(std::string(desk), st->column_int64(0), st->column_blob(1),
                                 st->column_text(2)));
    }
    return out;
}

} // namespace signaal::stream
