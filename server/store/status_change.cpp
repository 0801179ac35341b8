#include "server/store/status_change.hpp"

#include "server/store/audit_log.hpp"
#include "server/store/day_number.hpp"
#include "server/store/report_view.hpp"
#include "server/store/statement.hpp"
#include "server/store/write_job.hpp"

#include <algorithm>

namespace signaal::store {

namespace {

result<std::string> current_status(database& db, std::int64_t report_no, std::string_view desk) {
    auto st = statement::prepare(
        db, "SELECT status FROM report_desks WHERE report_no = ?1 AND desk = ?2");
    if (!st) {
        return st.error();
    }
    st->bind(1, report_no);
    st->bind(2, desk);
    auto row = st->step();
    if (!row) {
        return fail("cannot read the report's status: " + row.error().message);
    }
    if (!*row) {
        return fail("a desk holding an envelope has no status row");
    }
    // in_place: an error is constructible from a string too.
    return result<std::string>(boost::system::in_place_value, st->column_text(0));
}

status store_status(database& db, std::int64_t report_no, const status_change& change) {
    // The first status other than `new` sets ack_day, the first `closed`
    // closed_day; neither moves afterwards (PROTOCOL.md §6, §8).
    auto st = statement::prepare(
        db, "UPDATE report_desks SET status = ?3, status_day = ?4, "
            "ack_day = CASE WHEN ack_day IS NULL AND ?3 <> 'new' THEN ?4 ELSE ack_day END, "
            "closed_day = CASE WHEN closed_day IS NULL AND ?3 = 'closed' THEN ?4 "
            "ELSE closed_day END "
            "WHERE report_no = ?1 AND desk = ?2");
    if (!st) {
        return st.error();
    }
    st->bind(1, report_no);
    st->bind(2, change.desk);
    st->bind(3, change.status);
    st->bind(4, change.day);
    if (auto ran = st->run(); !ran) {
        return fail("cannot store the status: " + ran.error().message);
    }
    return {};
}

result<std::map<std::string, std::string>> statuses_of(database& db, std::int64_t report_no,
                                                       const std::vector<std::string>& desks) {
    auto st = statement::prepare(db, "SELECT desk, status FROM report_desks WHERE report_no = ?1");
    if (!st) {
        return st.error();
    }
    st->bind(1, report_no);
    std::map<std::string, std::string> out;
    for (;;) {
        auto row = st->step();
        if (!row) {
            return fail("cannot read the statuses: " + row.error().message);
        }
        if (!*row) {
            return out;
        }
        auto desk = st->column_text(0);
        if (std::find(desks.begin(), desks.end(), desk) != desks.end()) {
            out.emplace(std::move(desk), st->column_text(1));
        }
    }
}

} // namespace

bool is_report_status(std::string_view status) {
    return status == "new" || status == "acknowledged" || status == "in_progress" ||
           status == "closed";
}

result<status_change_outcome> apply_status_change(job_context& job, const status_change& change) {
    using kind = status_change_outcome::kind;
    status_change_outcome out;
    if (!is_report_status(change.status)) {
        return fail("not a report status");
    }
    auto routed = find_routed_report(job.db(), change.report_id, change.reader_desks);
    if (!routed) {
        return routed.error();
    }
    if (!*routed) {
        return out; // not_found
    }
    const auto& report = **routed;
    const auto& desks = report.reader_desks;
    if (desks.empty()) {
        out.what = kind::forbidden;
        return out;
    }
    if (std::find(desks.begin(), desks.end(), change.desk) == desks.end()) {
        out.what = kind::not_routed;
        return out;
    }

    auto before = current_status(job.db(), report.no, change.desk);
    if (!before) {
        return before.error();
    }
    if (*before == change.status) {
        out.what = kind::unchanged;
    } else {
        if (auto stored = store_status(job.db(), report.no, change); !stored) {
            return stored.error();
        }
        // That desk only: another desk's seq shows nothing of it.
        if (auto event = job.add_event(change.desk, report.no, change.report_id, "status");
            !event) {
            return event.error();
        }
        audit_log audit(job.db());
        if (auto row = audit.append({day_text(change.day), change.staff_id,
                                     audit_action::status_change, change.report_id});
            !row) {
            return row.error();
        }
        out.what = kind::changed;
    }
    auto now = statuses_of(job.db(), report.no, desks);
    if (!now) {
        return now.error();
    }
    out.status = std::move(*now);
    return out;
}

} // namespace signaal::store
