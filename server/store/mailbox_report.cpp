#include "server/store/mailbox_report.hpp"

#include "server/store/day_number.hpp"
#include "server/store/statement.hpp"
#include "server/store/transaction.hpp"

namespace signaal::store {

result<std::optional<mailbox_report>>
find_mailbox_report(database& db, std::span<const std::uint8_t> mailbox_pk) {
    auto report = statement::prepare(db, "SELECT no, id, received_day, category, "
                                         "reply_box_pk FROM reports "
                                         "WHERE reply_mailbox_pk = ?1 AND withdrawn_day IS NULL");
    if (!report) {
        return report.error();
    }
    report->bind(1, mailbox_pk);
    auto row = report->step();
    if (!row) {
        return fail("cannot read the mailbox's report: " + row.error().message);
    }
    if (!*row) {
        return std::optional<mailbox_report>{};
    }
    mailbox_report r;
    r.no = report->column_int64(0);
    r.id = report->column_blob(1);
    r.received_day = day_text(report->column_int64(2));
    r.category = report->column_text(3);
    r.box_pk = report->column_blob(4);
    report->reset();
    auto readers = read_report_readers(db, r.no);
    if (!readers) {
        return readers.error();
    }
    r.desks = std::move(readers->desks);
    r.pending = std::move(readers->pending);
    r.consent = std::move(readers->consent);
    r.consent_changes = std::move(readers->changes);

    auto statuses =
        statement::prepare(db, "SELECT desk, status FROM report_desks WHERE report_no = ?1");
    if (!statuses) {
        return statuses.error();
    }
    statuses->bind(1, r.no);
    for (;;) {
        auto s = statuses->step();
        if (!s) {
            return fail("cannot read the statuses: " + s.error().message);
        }
        if (!*s) {
            break;
        }
        r.status.emplace(statuses->column_text(0), statuses->column_text(1));
    }
    return std::optional<mailbox_report>(std::move(r));
}

result<std::vector<std::uint8_t>> reply_box_of(database& db, std::int64_t report_no) {
    auto st = statement::prepare(db, "SELECT reply_box_pk FROM reports WHERE no = ?1");
    if (!st) {
        return st.error();
    }
    st->bind(1, report_no);
    auto row = st->step();
    if (!row) {
        return fail("cannot read the report: " + row.error().message);
    }
    if (!*row || st->column_is_null(0)) {
        return std::vector<std::uint8_t>{};
    }
    return st->column_blob(0);
}

result<mailbox_view> read_mailbox(database& db, std::span<const std::uint8_t> mailbox_pk) {
    auto tx = transaction::begin(db, transaction::kind::deferred);
    if (!tx) {
        return tx.error();
    }
    auto report = find_mailbox_report(db, mailbox_pk);
    if (!report) {
        return report.error();
    }
    mailbox_view view;
    if (*report) {
        auto messages = read_messages(db, (*report)->no, {"reporter"});
        if (!messages) {
            return messages.error();
        }
        view.messages = std::move(*messages);
        view.report = std::move(*report);
    }
    if (auto done = tx->commit(); !done) {
        return done.error();
    }
    return view;
}

} // namespace signaal::store
