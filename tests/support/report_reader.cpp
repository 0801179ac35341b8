#include "tests/support/report_reader.hpp"

#include "server/store/day_number.hpp"
#include "server/store/id_list.hpp"
#include "server/store/transaction.hpp"

namespace signaal::testing {

using namespace signaal::store;

result<report_reader> report_reader::open(const std::filesystem::path& path) {
    auto db = database::open(path, open_mode::read_only);
    if (!db) {
        return error{db.error().message};
    }
    auto report = statement::prepare(
        *db, "SELECT received_day, role, category, consent, desks, nonce, ciphertext, "
             "reply_box_pk, reply_mailbox_pk, no FROM reports WHERE id = ?1");
    if (!report) {
        return error{report.error().message};
    }
    auto envelopes = statement::prepare(
        *db, "SELECT desk, key_id, sealed FROM envelopes WHERE report_no = ?1 ORDER BY desk");
    if (!envelopes) {
        return error{envelopes.error().message};
    }
    auto count = statement::prepare(*db, "SELECT count(*) FROM reports");
    if (!count) {
        return error{count.error().message};
    }
    return report_reader(std::move(*db), std::move(*report), std::move(*envelopes),
                         std::move(*count));
}

result<std::optional<report_record>> report_reader::find(std::span<const std::uint8_t> id) {
    // One snapshot for the report and its envelopes.
    auto tx = transaction::begin(db_, transaction::kind::deferred);
    if (!tx) {
        return error{tx.error().message};
    }
    report_.reset();
    report_.bind(1, id);
    auto row = report_.step();
    if (!row) {
        report_.reset();
        return error{"cannot read report: " + row.error().message};
    }
    if (!*row) {
        report_.reset();
        return std::optional<report_record>{};
    }
    report_record r;
    r.id.assign(id.begin(), id.end());
    r.received_day = day_text(report_.column_int64(0));
    r.role = report_.column_text(1);
    r.category = report_.column_text(2);
    r.consent = split_ids(report_.column_text(3));
    r.desks = split_ids(report_.column_text(4));
    r.nonce = report_.column_blob(5);
    r.ciphertext = report_.column_blob(6);
    r.reply_box_pk = report_.column_blob(7);
    r.reply_mailbox_pk = report_.column_blob(8);
    const std::int64_t no = report_.column_int64(9);
    report_.reset();

    envelopes_.reset();
    envelopes_.bind(1, no);
    for (;;) {
        auto erow = envelopes_.step();
        if (!erow) {
            envelopes_.reset();
            return error{"cannot read envelopes: " + erow.error().message};
        }
        if (!*erow) {
            break;
        }
        r.envelopes.push_back(
            {envelopes_.column_text(0), envelopes_.column_blob(1), envelopes_.column_blob(2)});
    }
    envelopes_.reset();
    if (auto s = tx->commit(); !s) {
        return error{s.error().message};
    }
    return std::optional<report_record>(std::move(r));
}

result<std::int64_t> report_reader::count() {
    count_.reset();
    auto row = count_.step();
    if (!row || !*row) {
        count_.reset();
        return error{"cannot count reports: " +
                     (row ? std::string("no row") : row.error().message)};
    }
    const std::int64_t n = count_.column_int64(0);
    count_.reset();
    return n;
}

} // namespace signaal::testing
