#include "server/store/desk_events.hpp"

#include "server/store/statement.hpp"

namespace signaal::store {

result<std::vector<event_record>> read_desk_events(database& db, std::string_view desk,
                                                   std::int64_t after, std::int64_t limit) {
    // The primary key (desk, seq) gives the order; the join only swaps the
    // internal report number for the public id.
    auto st = statement::prepare(db, "SELECT e.seq, r.id, e.kind FROM events e "
                                     "JOIN reports r ON r.no = e.report_no "
                                     "WHERE e.desk = ?1 AND e.seq > ?2 ORDER BY e.seq LIMIT ?3");
    if (!st) {
        return st.error();
    }
    st->bind(1, desk);
    st->bind(2, after);
    st->bind(3, limit);
    std::vector<event_record> events;
    for (;;) {
        auto row = st->step();
        if (!row) {
            return fail("cannot read the desk's events: " + row.error().message);
        }
        if (!*row) {
            return events;
        }
        events.push_back(
            {std::string(desk), st->column_int64(0), st->column_blob(1), st->column_text(2)});
    }
}

} // namespace signaal::store
