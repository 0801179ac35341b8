#include "server/store/report_view.hpp"

#include "server/store/day_number.hpp"
#include "server/store/id_list.hpp"
#include "server/store/statement.hpp"
#include "server/store/transaction.hpp"

#include <algorithm>

namespace signaal::store {

result<std::optional<routed_report>>
find_routed_report(database& db, std::span<const std::uint8_t> id,
                   const std::vector<std::string>& reader_desks) {
    // A desk is routed when it holds an envelope, pending when the reporter
    // added it and no envelope came yet (PROTOCOL.md §7).
    auto st = statement::prepare(db, "SELECT r.no, e.desk, 0 FROM reports r "
                                     "JOIN envelopes e ON e.report_no = r.no WHERE r.id = ?1 "
                                     "UNION ALL "
                                     "SELECT r.no, p.desk, 1 FROM reports r "
                                     "JOIN pending_desks p ON p.report_no = r.no WHERE r.id = ?1 "
                                     "ORDER BY 2");
    if (!st) {
        return st.error();
    }
    st->bind(1, id);
    routed_report found;
    for (;;) {
        auto row = st->step();
        if (!row) {
            return fail("cannot read the report's desks: " + row.error().message);
        }
        if (!*row) {
            break;
        }
        found.no = st->column_int64(0);
        auto desk = st->column_text(1);
        if (among(reader_desks, desk)) {
            (st->column_int64(2) == 0 ? found.reader_desks : found.pending_reader_desks)
                .push_back(std::move(desk));
        }
    }
    if (found.reader_desks.empty() && found.pending_reader_desks.empty()) {
        return std::optional<routed_report>{};
    }
    return std::optional<routed_report>(std::move(found));
}

result<std::optional<report_view>> read_report_view(database& db, std::span<const std::uint8_t> id,
                                                    const std::vector<std::string>& reader_desks) {
    // One snapshot: the routing, the report, its envelopes and statuses agree.
    auto tx = transaction::begin(db, transaction::kind::deferred);
    if (!tx) {
        return tx.error();
    }
    auto routed = find_routed_report(db, id, reader_desks);
    if (!routed) {
        return routed.error();
    }
    if (!*routed) {
        return std::optional<report_view>{};
    }
    const std::int64_t no = (*routed)->no;
    const auto& desks = (*routed)->reader_desks;

    auto report = statement::prepare(db, "SELECT received_day, role, category, "
                                         "nonce, ciphertext, reply_box_pk, reply_mailbox_pk "
                                         "FROM reports WHERE no = ?1");
    if (!report) {
        return report.error();
    }
    report->bind(1, no);
    auto row = report->step();
    if (!row || !*row) {
        return fail("cannot read the report");
    }
    report_view v;
    v.id.assign(id.begin(), id.end());
    v.received_day = day_text(report->column_int64(0));
    v.role = report->column_text(1);
    v.category = report->column_text(2);
    v.nonce = report->column_blob(3);
    v.ciphertext = report->column_blob(4);
    v.reply_box_pk = report->column_blob(5);
    v.reply_mailbox_pk = report->column_blob(6);
    report->reset();
    auto readers = read_report_readers(db, no);
    if (!readers) {
        return readers.error();
    }
    v.consent = std::move(readers->consent);
    v.desks = std::move(readers->desks);
    v.sealed_consent = std::move(readers->sealed_consent);
    v.sealed_desks = std::move(readers->sealed_desks);
    v.pending = std::move(readers->pending);
    v.consent_changes = std::move(readers->changes);

    auto envelopes = statement::prepare(
        db, "SELECT desk, key_id, sealed FROM envelopes WHERE report_no = ?1 ORDER BY desk");
    if (!envelopes) {
        return envelopes.error();
    }
    envelopes->bind(1, no);
    for (;;) {
        auto e = envelopes->step();
        if (!e) {
            return fail("cannot read the envelopes: " + e.error().message);
        }
        if (!*e) {
            break;
        }
        auto desk = envelopes->column_text(0);
        if (among(desks, desk)) {
            v.envelopes.push_back(
                {std::move(desk), envelopes->column_blob(1), envelopes->column_blob(2)});
        }
    }

    auto statuses =
        statement::prepare(db, "SELECT desk, status FROM report_desks WHERE report_no = ?1");
    if (!statuses) {
        return statuses.error();
    }
    statuses->bind(1, no);
    for (;;) {
        auto s = statuses->step();
        if (!s) {
            return fail("cannot read the statuses: " + s.error().message);
        }
        if (!*s) {
            break;
        }
        auto desk = statuses->column_text(0);
        if (among(desks, desk)) {
            v.status.emplace(std::move(desk), statuses->column_text(1));
        }
    }
    auto messages = read_messages(db, no, desks);
    if (!messages) {
        return messages.error();
    }
    v.messages = std::move(*messages);
    if (auto done = tx->commit(); !done) {
        return done.error();
    }
    return std::optional<report_view>(std::move(v));
}

} // namespace signaal::store
