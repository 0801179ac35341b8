#include "server/store/withdrawal.hpp"

#include "server/store/id_list.hpp"
#include "server/store/messages.hpp"
#include "server/store/report_readers.hpp"
#include "server/store/statement.hpp"

namespace signaal::store {

namespace {

status run_for(database& db, const char* sql, std::int64_t report_no) {
    auto st = statement::prepare(db, sql);
    if (!st) {
        return st.error();
    }
    st->bind(1, report_no);
    if (auto ran = st->run(); !ran) {
        return fail("cannot withdraw the report: " + ran.error().message);
    }
    return {};
}

} // namespace

result<std::optional<std::vector<std::string>>>
withdraw_report(job_context& job, std::span<const std::uint8_t> report_id,
                std::span<const std::uint8_t> mailbox_pk) {
    using desks_or_none = std::optional<std::vector<std::string>>;
    database& db = job.db();
    auto find = statement::prepare(db, "SELECT no FROM reports WHERE id = ?1 AND "
                                       "reply_mailbox_pk = ?2 AND withdrawn_day IS NULL");
    if (!find) {
        return find.error();
    }
    find->bind(1, report_id);
    find->bind(2, mailbox_pk);
    auto row = find->step();
    if (!row) {
        return fail("cannot read the report: " + row.error().message);
    }
    if (!*row) {
        return desks_or_none{};
    }
    const std::int64_t no = find->column_int64(0);
    find->reset();
    // Its desks now: those holding an envelope (stepped consent may have
    // changed them since it was sealed).
    auto readers = read_report_readers(db, no);
    if (!readers) {
        return readers.error();
    }
    auto desks = std::move(readers->desks);

    if (auto gone = delete_messages(db, no); !gone) {
        return gone.error();
    }
    // consent and desks become its desks now: the desks ticked but not routed
    // are not §8's, nor are desks it had before a consent change. The status
    // keeps only what ack_day and closed_day already say.
    auto keep = statement::prepare(db, "UPDATE reports SET consent = ?2, desks = ?2 WHERE no = ?1");
    if (!keep) {
        return keep.error();
    }
    keep->bind(1, no);
    keep->bind(2, join_ids(desks));
    if (auto ran = keep->run(); !ran) {
        return fail("cannot withdraw the report: " + ran.error().message);
    }
    for (const char* sql : {
             "DELETE FROM envelopes WHERE report_no = ?1",
             "DELETE FROM consent_changes WHERE report_no = ?1",
             "DELETE FROM pending_desks WHERE report_no = ?1",
             "UPDATE reports SET nonce = NULL, ciphertext = NULL, reply_box_pk = NULL, "
             "reply_mailbox_pk = NULL WHERE no = ?1",
             "UPDATE report_desks SET "
             "status = CASE WHEN closed_day IS NOT NULL THEN 'closed' "
             "WHEN ack_day IS NOT NULL THEN 'acknowledged' ELSE 'new' END, "
             "status_day = coalesce(closed_day, ack_day, "
             "(SELECT received_day FROM reports WHERE no = ?1)) WHERE report_no = ?1",
         }) {
        if (auto done = run_for(db, sql, no); !done) {
            return done.error();
        }
    }
    for (const auto& desk : desks) {
        if (auto event = job.add_event(desk, no, report_id, "withdrawn"); !event) {
            return event.error();
        }
    }
    return desks_or_none(std::move(desks));
}

} // namespace signaal::store
