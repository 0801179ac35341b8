#include "tests/stats/report_rows.hpp"

#include "server/store/day_number.hpp"
#include "server/store/id_list.hpp"
#include "server/store/statement.hpp"

#include <boost/test/unit_test.hpp>

namespace signaal::stats::test {
namespace {

void must(const status& s) {
    BOOST_REQUIRE_MESSAGE(s.has_value(), s.error().message);
}

} // namespace

std::vector<std::uint8_t> insert_report(store::database& db, const report_row& r) {
    static std::uint32_t counter = 0;
    ++counter;
    std::vector<std::uint8_t> id(16, 0x5A);
    for (int i = 0; i < 4; ++i) {
        id[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(counter >> (8 * i));
    }
    std::vector<std::string> desks;
    for (const auto& d : r.desks) {
        desks.push_back(d.desk);
    }
    auto report = store::statement::prepare(
        db, "INSERT INTO reports (no, id, received_day, role, category, consent, desks, nonce, "
            "ciphertext, withdrawn_day) "
            "VALUES ((SELECT coalesce(max(no), 0) + 1 FROM reports), ?1, ?2, ?3, ?4, ?5, ?5, "
            "?6, ?7, ?8)");
    BOOST_REQUIRE_MESSAGE(report.has_value(), report.error().message);
    const std::vector<std::uint8_t> nonce(24, 1), ciphertext(1040, 2);
    report->bind(1, id);
    report->bind(2, r.received_day);
    report->bind(3, r.role);
    report->bind(4, r.category);
    report->bind(5, store::join_ids(desks));
    if (desks.empty()) {
        report->bind_null(6);
        report->bind_null(7);
    } else {
        report->bind(6, nonce);
        report->bind(7, ciphertext);
    }
    if (r.withdrawn_day) {
        report->bind(8, *r.withdrawn_day);
    } else {
        report->bind_null(8);
    }
    must(report->run());
    for (const auto& d : r.desks) {
        auto row = store::statement::prepare(
            db, "INSERT INTO report_desks (report_no, desk, status, status_day, ack_day, "
                "closed_day) VALUES ((SELECT no FROM reports WHERE id = ?1), ?2, ?3, ?4, ?5, ?6)");
        BOOST_REQUIRE_MESSAGE(row.has_value(), row.error().message);
        row->bind(1, id);
        row->bind(2, d.desk);
        row->bind(3, d.closed_day ? "closed" : d.ack_day ? "acknowledged" : "new");
        row->bind(4, d.closed_day ? *d.closed_day : d.ack_day ? *d.ack_day : r.received_day);
        if (d.ack_day) {
            row->bind(5, *d.ack_day);
        } else {
            row->bind_null(5);
        }
        if (d.closed_day) {
            row->bind(6, *d.closed_day);
        } else {
            row->bind_null(6);
        }
        must(row->run());
    }
    return id;
}

void purge_before(store::database& db, std::int64_t before) {
    auto purge = store::statement::prepare(db, "DELETE FROM reports WHERE received_day < ?1");
    BOOST_REQUIRE_MESSAGE(purge.has_value(), purge.error().message);
    purge->bind(1, before);
    must(purge->run());
}

void set_days_for_all(store::database& db, const std::string& desk, std::int64_t ack_day,
                      std::int64_t closed_day) {
    auto change = store::statement::prepare(
        db, "UPDATE report_desks SET status = 'closed', status_day = ?3, ack_day = ?2, "
            "closed_day = ?3 WHERE desk = ?1");
    BOOST_REQUIRE_MESSAGE(change.has_value(), change.error().message);
    change->bind(1, desk);
    change->bind(2, ack_day);
    change->bind(3, closed_day);
    must(change->run());
}

std::int64_t day(const char* yyyy_mm_dd) {
    const auto d = store::day_number(yyyy_mm_dd);
    BOOST_REQUIRE(d.has_value());
    return *d;
}

} // namespace signaal::stats::test
