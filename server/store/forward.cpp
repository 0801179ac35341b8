#include "server/store/forward.hpp"

#include "server/store/audit_log.hpp"
#include "server/store/day_number.hpp"
#include "server/store/report_readers.hpp"
#include "server/store/report_view.hpp"
#include "server/store/statement.hpp"
#include "server/store/write_job.hpp"

namespace signaal::store {

namespace {

status seal_to(database& db, std::int64_t report_no, const envelope& e, std::int64_t day) {
    auto add = statement::prepare(
        db, "INSERT INTO envelopes (report_no, desk, key_id, sealed) VALUES (?1, ?2, ?3, ?4)");
    if (!add) {
        return add.error();
    }
    add->bind(1, report_no);
    add->bind(2, e.desk);
    add->bind(3, e.key_id);
    add->bind(4, e.sealed);
    if (auto ran = add->run(); !ran) {
        return fail("cannot store the envelope: " + ran.error().message);
    }
    auto unpend =
        statement::prepare(db, "DELETE FROM pending_desks WHERE report_no = ?1 AND desk = ?2");
    if (!unpend) {
        return unpend.error();
    }
    unpend->bind(1, report_no);
    unpend->bind(2, e.desk);
    if (auto ran = unpend->run(); !ran) {
        return fail("cannot seal the report to a new desk: " + ran.error().message);
    }
    // Its handling starts at `new`, on the day it can first read the report.
    auto status = statement::prepare(db, "INSERT INTO report_desks (report_no, desk, status, "
                                         "status_day) VALUES (?1, ?2, 'new', ?3)");
    if (!status) {
        return status.error();
    }
    status->bind(1, report_no);
    status->bind(2, e.desk);
    status->bind(3, day);
    if (auto ran = status->run(); !ran) {
        return fail("cannot seal the report to a new desk: " + ran.error().message);
    }
    return {};
}

} // namespace

result<forward_outcome> apply_forward(job_context& job, const forward_request& request) {
    using kind = forward_outcome::kind;
    forward_outcome out;
    database& db = job.db();
    auto routed = find_routed_report(db, request.report_id, request.caller_desks);
    if (!routed) {
        return routed.error();
    }
    if (!*routed) {
        return out; // not_found
    }
    if ((*routed)->reader_desks.empty()) {
        out.what = kind::forbidden;
        return out;
    }
    const std::int64_t no = (*routed)->no;
    auto before = read_report_readers(db, no);
    if (!before) {
        return before.error();
    }
    for (const auto& e : request.envelopes) {
        if (!among(before->pending, e.desk)) {
            out.what = kind::not_pending;
            return out;
        }
    }
    for (const auto& e : request.envelopes) {
        if (auto sealed = seal_to(db, no, e, request.day); !sealed) {
            return sealed.error();
        }
        if (auto event = job.add_event(e.desk, no, request.report_id, "report"); !event) {
            return event.error();
        }
    }
    for (const auto& desk : before->desks) {
        if (auto event = job.add_event(desk, no, request.report_id, "consent"); !event) {
            return event.error();
        }
    }
    audit_log audit(db);
    if (auto row = audit.append(
            {day_text(request.day), request.staff_id, audit_action::forward, request.report_id});
        !row) {
        return row.error();
    }
    auto now = read_report_readers(db, no);
    if (!now) {
        return now.error();
    }
    out.what = kind::forwarded;
    out.desks = std::move(now->desks);
    out.pending = std::move(now->pending);
    return out;
}

} // namespace signaal::store
