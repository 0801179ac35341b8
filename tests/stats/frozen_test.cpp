// The quarterly numbers from a real store file: a known data set gives known
// tables (secondary suppression included), a frozen quarter never changes, a
// range is its quarters put together, the CSV holds the JSON's numbers, and a
// withdrawal is counted without its ciphertext.
#include "server/json/json.hpp"
#include "server/stats/frozen_quarters.hpp"
#include "server/stats/render.hpp"
#include "server/stats/stats_answer.hpp"
#include "server/stats/withdrawal_mark.hpp"
#include "server/store/statement.hpp"
#include "server/store/transaction.hpp"
#include "tests/stats/known_quarter.hpp"
#include "tests/stats/report_rows.hpp"
#include "tests/stats/stats_db.hpp"

#include <boost/test/unit_test.hpp>

#include <random>
#include <sstream>

namespace signaal::stats {
namespace {

using test::day;
using test::desk_days;
using test::insert_known_quarter;
using test::insert_report;
using test::known_rows;
using test::report_row;

const quarter q1_2026{2026, 1};

std::string rows_text(const published_quarter& p) {
    std::ostringstream out;
    for (const auto& r : p.rows) {
        out << r.table << ',' << r.desk << ',' << r.cell << ','
            << (r.count ? std::to_string(*r.count) : "<" + std::to_string(p.k)) << '\n';
    }
    return out.str();
}

void freeze(store::database& db, std::span<const quarter> quarters, std::int64_t today,
            const freeze_policy& policy = test::test_policy()) {
    auto tx = store::transaction::begin(db, store::transaction::kind::immediate);
    BOOST_REQUIRE(tx.has_value());
    const auto frozen = freeze_quarters(db, quarters, today, policy);
    BOOST_REQUIRE_MESSAGE(frozen.has_value(), frozen.error().message);
    BOOST_REQUIRE(tx->commit().has_value());
}

stats_answer answer_for(store::database& db, quarter from, quarter to, std::int64_t today) {
    const auto range = quarter_range(from, to);
    BOOST_REQUIRE(range.has_value());
    auto a = read_answer(db, *range, today, 5);
    BOOST_REQUIRE_MESSAGE(a.has_value(), a.error().message);
    return *a;
}

BOOST_AUTO_TEST_SUITE(frozen)

BOOST_AUTO_TEST_CASE(the_true_counts_of_the_known_quarter) {
    test::stats_db s;
    insert_known_quarter(s.db);
    const auto c = count_quarter(s.db, q1_2026, test::test_policy().ids);
    BOOST_REQUIRE(c.has_value());
    const std::vector<cell_count> category{
        {"health", 6}, {"other", 2}, {"robbery", 3}, {"violence", 12}};
    BOOST_TEST((c->category == category));
    BOOST_TEST((c->kind == std::vector<cell_count>{{"count_only", 5}, {"with_text", 18}}));
    BOOST_TEST((c->withdrawn == std::vector<cell_count>{{"withdrawn", 7}, {"kept", 16}}));
    BOOST_REQUIRE(c->desks.size() == 3u);
    BOOST_TEST((c->desks[0].days_to_ack ==
                std::vector<cell_count>{{"0-7", 9}, {"8-30", 6}, {"31+", 1}, {"never", 1}}));
    BOOST_TEST((c->desks[0].closed == std::vector<cell_count>{{"yes", 10}, {"no", 7}}));
    BOOST_TEST(c->desks[1].desk == "municipality");
    BOOST_TEST((c->desks[2].days_to_ack ==
                std::vector<cell_count>{{"0-7", 3}, {"8-30", 0}, {"31+", 0}, {"never", 1}}));
}

BOOST_AUTO_TEST_CASE(a_known_data_set_gives_known_tables) {
    test::stats_db s;
    insert_known_quarter(s.db);
    freeze(s.db, std::vector{q1_2026}, freeze_day(q1_2026));
    const auto p = load_frozen(s.db, q1_2026);
    BOOST_REQUIRE(p.has_value());
    BOOST_REQUIRE(p->has_value());
    BOOST_TEST((*p)->k == 5);
    BOOST_TEST(rows_text(**p) == known_rows);
}

BOOST_AUTO_TEST_CASE(json_and_csv_exactly_as_section8_shows) {
    test::stats_db s;
    insert_known_quarter(s.db);
    freeze(s.db, std::vector{q1_2026}, freeze_day(q1_2026));
    const auto a = answer_for(s.db, q1_2026, quarter{2026, 2}, freeze_day(q1_2026));
    BOOST_TEST(render_json(a) ==
               R"({"k":5,"quarters":[{"quarter":"2026-Q1","n":23,"tables":{"category":)"
               R"({"health":6,"other":"<5","robbery":"<5","violence":12},"role":)"
               R"({"peer_expert":"<5","sex_worker":"<5"},"kind":{"count_only":5,"with_text":18},)"
               R"("withdrawn":{"withdrawn":7,"kept":16}},"desks":{"care":{"routed":17,)"
               R"("days_to_ack":{"0-7":9,"8-30":"<5","31+":"<5","never":"<5"},"closed":)"
               R"({"yes":10,"no":7}},"municipality":{"routed":"<5","days_to_ack":{"0-7":"<5",)"
               R"("8-30":"<5","31+":"<5","never":"<5"},"closed":{"yes":"<5","no":"<5"}},)"
               R"("police":{"routed":"<5","days_to_ack":{"0-7":"<5","8-30":"<5","31+":"<5",)"
               R"("never":"<5"},"closed":{"yes":"<5","no":"<5"}}}}],"not_yet":["2026-Q2"]})");
    std::string csv = "quarter,table,desk,cell,count\n";
    std::istringstream rows(known_rows);
    for (std::string line; std::getline(rows, line);) {
        csv += "2026-Q1," + line + "\n";
    }
    BOOST_TEST(render_csv(a) == csv);
}

BOOST_AUTO_TEST_CASE(a_frozen_quarter_is_unchanged_by_later_withdrawals_purges_and_status_changes) {
    test::stats_db s;
    insert_known_quarter(s.db);
    const std::int64_t freeze_on = freeze_day(q1_2026);
    freeze(s.db, std::vector{q1_2026}, freeze_on);
    const auto before = answer_for(s.db, q1_2026, q1_2026, freeze_on);

    // Later: every report withdrawn, every desk's status changed, and a purge.
    auto ids = store::statement::prepare(s.db, "SELECT id FROM reports");
    BOOST_REQUIRE(ids.has_value());
    std::vector<std::vector<std::uint8_t>> all;
    while (*ids->step()) {
        all.push_back(ids->column_blob(0));
    }
    for (const auto& id : all) {
        BOOST_REQUIRE(mark_withdrawn(s.db, id, freeze_on + 3).has_value());
    }
    for (const char* desk : {"care", "police"}) {
        test::set_days_for_all(s.db, desk, day("2026-01-11"), day("2026-01-12"));
    }
    test::purge_before(s.db, day("2026-01-11"));
    // Recounting now would give other tables: the freeze is what holds them.
    const auto recount = count_quarter(s.db, q1_2026, test::test_policy().ids);
    BOOST_REQUIRE(recount.has_value());
    BOOST_TEST(rows_text(publish(*recount, 5)) != known_rows);

    // Freezing again changes nothing, whatever the policy says now.
    auto other_policy = test::test_policy();
    other_policy.k = 3;
    freeze(s.db, std::vector{q1_2026}, freeze_on + 100, other_policy);
    const auto after = answer_for(s.db, q1_2026, q1_2026, freeze_on + 100);
    BOOST_TEST((after == before));
    BOOST_TEST(render_json(after) == render_json(before));
    BOOST_TEST(render_csv(after) == render_csv(before));
    BOOST_TEST(save_frozen(s.db, publish(*recount, 5)).has_error()); // never stored twice
    BOOST_TEST(rows_text(load_frozen(s.db, q1_2026)->value()) == known_rows);
}

BOOST_AUTO_TEST_CASE(a_quarter_keeps_the_k_it_was_frozen_with) {
    test::stats_db s;
    insert_known_quarter(s.db);
    auto k3 = test::test_policy();
    k3.k = 3;
    freeze(s.db, std::vector{q1_2026}, freeze_day(q1_2026), k3);
    const auto a = answer_for(s.db, q1_2026, q1_2026, freeze_day(q1_2026)); // config k now 5
    const auto text = render_json(a);
    BOOST_TEST(text.rfind(R"({"k":5,"quarters":[{"quarter":"2026-Q1","k":3,"n":23,)", 0) == 0u);
    BOOST_TEST(text.find(R"("role":{"peer_expert":3,"sex_worker":20})") != std::string::npos);
    BOOST_TEST(text.find("<5") == std::string::npos);
    BOOST_TEST(text.find(R"("municipality":{"routed":"<3")") != std::string::npos);
    BOOST_TEST(render_csv(a).find("2026-Q1,routed,police,all,4\n") != std::string::npos);
    BOOST_TEST(render_csv(a).find("2026-Q1,routed,municipality,all,<3\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_quarter_is_frozen_only_from_its_freeze_day_and_as_of_its_cutoff) {
    test::stats_db s;
    insert_known_quarter(s.db);
    const std::int64_t cutoff = cutoff_day(q1_2026);
    auto tx = store::transaction::begin(s.db, store::transaction::kind::immediate);
    BOOST_REQUIRE(tx.has_value());
    const auto early = freeze_quarters(s.db, std::vector{q1_2026}, cutoff, test::test_policy());
    BOOST_TEST(early.error().message == "quarter 2026-Q1 is not closed and settled yet");
    BOOST_REQUIRE(tx->commit().has_value());
    BOOST_TEST(!load_frozen(s.db, q1_2026)->has_value());
    const auto range = quarter_range(q1_2026, q1_2026);
    const auto a = read_answer(s.db, *range, cutoff, 5);
    BOOST_REQUIRE(a.has_value());
    BOOST_TEST(a->quarters.empty());
    BOOST_TEST(a->not_yet.size() == 1u);
    // Frozen late, the tables are still as of the cut-off.
    freeze(s.db, std::vector{q1_2026}, cutoff + 400);
    BOOST_TEST(rows_text(load_frozen(s.db, q1_2026)->value()) == known_rows);
}

BOOST_AUTO_TEST_CASE(a_range_is_its_quarters_put_together) {
    test::stats_db s;
    insert_known_quarter(s.db);
    std::mt19937 rng(3);
    for (int i = 0; i < 60; ++i) {
        report_row r;
        r.received_day = day("2026-04-01") + static_cast<std::int64_t>(rng() % 180);
        r.category = i % 3 == 0 ? "health" : "violence";
        if (i % 2 == 0) {
            r.desks.push_back(
                {"care", r.received_day + static_cast<std::int64_t>(rng() % 40), std::nullopt});
        }
        insert_report(s.db, r);
    }
    const quarter q2{2026, 2}, q3{2026, 3}, q4{2026, 4};
    const std::int64_t today = freeze_day(q3);
    freeze(s.db, std::vector{q1_2026, q2, q3}, today);
    const auto whole = answer_for(s.db, q1_2026, q4, today);
    stats_answer joined;
    for (const auto q : {q1_2026, q2, q3, q4}) {
        const auto one = answer_for(s.db, q, q, today);
        joined.quarters.insert(joined.quarters.end(), one.quarters.begin(), one.quarters.end());
        joined.not_yet.insert(joined.not_yet.end(), one.not_yet.begin(), one.not_yet.end());
    }
    BOOST_TEST((whole == joined));
    BOOST_TEST(whole.quarters.size() == 3u);
    BOOST_TEST(quarter_text(whole.not_yet.at(0)) == "2026-Q4");
    // CSV of the range: one header, then each quarter's rows in order.
    const std::string header = "quarter,table,desk,cell,count\n";
    std::string csv = header;
    for (const auto q : {q1_2026, q2, q3}) {
        csv += render_csv(answer_for(s.db, q, q, today)).substr(header.size());
    }
    BOOST_TEST(render_csv(whole) == csv);
}

BOOST_AUTO_TEST_CASE(the_csv_holds_the_same_numbers_as_the_json) {
    test::stats_db s;
    insert_known_quarter(s.db);
    std::mt19937 rng(11);
    for (int i = 0; i < 90; ++i) {
        report_row r;
        r.received_day = day("2026-04-01") + static_cast<std::int64_t>(rng() % 270);
        r.category = std::vector<std::string>{"health", "robbery", "violence", "x"}[rng() % 4];
        r.role = rng() % 5 == 0 ? "peer_expert" : "sex_worker";
        for (const char* d : {"care", "municipality", "police"}) {
            if (rng() % 2 == 0) {
                r.desks.push_back({d, r.received_day + static_cast<std::int64_t>(rng() % 50),
                                   r.received_day + static_cast<std::int64_t>(50 + rng() % 50)});
            }
        }
        insert_report(s.db, r);
    }
    const std::int64_t today = freeze_day(quarter{2026, 4});
    freeze(s.db, *quarter_range(q1_2026, quarter{2026, 4}), today);
    const auto a = answer_for(s.db, q1_2026, quarter{2027, 1}, today);
    const auto doc = json::parse(render_json(a));
    BOOST_REQUIRE(doc.has_value());

    std::istringstream csv(render_csv(a));
    std::string line;
    std::getline(csv, line);
    BOOST_TEST(line == "quarter,table,desk,cell,count");
    std::size_t rows = 0;
    while (std::getline(csv, line)) {
        std::vector<std::string> f;
        std::istringstream fields(line);
        for (std::string x; std::getline(fields, x, ',');) {
            f.push_back(x);
        }
        BOOST_REQUIRE(f.size() == 5u);
        const json::value* q = nullptr;
        for (const auto& each : doc->at("quarters").as_array()) {
            if (each.at("quarter").as_string() == f[0]) {
                q = &each;
            }
        }
        BOOST_REQUIRE(q != nullptr);
        const json::value* v = nullptr;
        if (f[1] == "n") {
            v = &q->at("n");
        } else if (f[1] == "routed") {
            v = &q->at("desks").at(f[2]).at("routed");
        } else if (f[2].empty()) {
            v = &q->at("tables").at(f[1]).at(f[3]);
        } else {
            v = &q->at("desks").at(f[2]).at(f[1]).at(f[3]);
        }
        const std::string json_text =
            v->is_string() ? std::string(v->as_string()) : std::to_string(v->as_int64());
        BOOST_TEST(json_text == f[4], line);
        ++rows;
    }
    // Every JSON value has its row: 4 quarters, each n + 4 tables + 3 desks.
    std::size_t values = 0;
    for (const auto& each : doc->at("quarters").as_array()) {
        values += 1;
        for (const auto& t : each.at("tables").as_object()) {
            values += t.value().as_object().size();
        }
        for (const auto& d : each.at("desks").as_object()) {
            values += 1 + d.value().at("days_to_ack").as_object().size() +
                      d.value().at("closed").as_object().size();
        }
    }
    BOOST_TEST(rows == values);
    BOOST_TEST(doc->at("quarters").as_array().size() == 4u);
}

BOOST_AUTO_TEST_CASE(a_withdrawal_is_counted_after_the_ciphertext_is_gone) {
    test::stats_db s;
    const std::int64_t received = day("2026-01-05");
    std::vector<std::vector<std::uint8_t>> ids;
    for (int i = 0; i < 10; ++i) {
        ids.push_back(insert_report(s.db, report_row{received,
                                                     "sex_worker",
                                                     "violence",
                                                     {{"care", received + 1, std::nullopt}},
                                                     std::nullopt}));
    }
    for (std::size_t i = 0; i < 6; ++i) {
        BOOST_REQUIRE(mark_withdrawn(s.db, ids[i], received + 2).has_value());
    }
    BOOST_REQUIRE(mark_withdrawn(s.db, ids[0], received + 50).has_value()); // keeps the first day
    // What a withdrawal deletes (PROTOCOL.md §7): the sealed report and its envelopes.
    BOOST_REQUIRE(s.db.exec("UPDATE reports SET nonce = NULL, ciphertext = NULL, "
                            "reply_box_pk = NULL, reply_mailbox_pk = NULL "
                            "WHERE withdrawn_day IS NOT NULL; DELETE FROM envelopes;")
                      .has_value());
    const auto c = count_quarter(s.db, q1_2026, test::test_policy().ids);
    BOOST_REQUIRE(c.has_value());
    BOOST_TEST((c->withdrawn == std::vector<cell_count>{{"withdrawn", 6}, {"kept", 4}}));
    BOOST_TEST((c->kind == std::vector<cell_count>{{"count_only", 0}, {"with_text", 10}}));
    BOOST_TEST(c->desks[0].days_to_ack[0].count == 10);
    auto first = store::statement::prepare(s.db, "SELECT withdrawn_day FROM reports WHERE id = ?1");
    first->bind(1, ids[0]);
    BOOST_REQUIRE(*first->step());
    BOOST_TEST(first->column_int64(0) == received + 2);

    const std::vector<std::uint8_t> unknown(16, 0xEE);
    BOOST_TEST(mark_withdrawn(s.db, unknown, received).error().message == "no such report");
}

BOOST_AUTO_TEST_CASE(the_daily_run_freezes_every_due_quarter_since_the_first_report) {
    test::stats_db s;
    const std::int64_t today = day("2026-07-09"); // 2026-Q2's freeze day
    auto due = due_for_daily_run(s.db, today);
    BOOST_REQUIRE(due.has_value());
    BOOST_TEST(due->size() == 1u); // no reports: the last due quarter only
    BOOST_TEST(quarter_text(due->at(0)) == "2026-Q2");
    insert_report(s.db, report_row{day("2025-11-20"), "sex_worker", "health", {}, {}});
    due = due_for_daily_run(s.db, today);
    BOOST_REQUIRE(due.has_value());
    BOOST_TEST(due->size() == 3u); // 2025-Q4, 2026-Q1, 2026-Q2
    freeze(s.db, *due, today);
    BOOST_TEST(due_for_daily_run(s.db, today)->empty());
    // The day before Q2's freeze day only Q4 and Q1 were due.
    test::stats_db t;
    insert_report(t.db, report_row{day("2025-11-20"), "sex_worker", "health", {}, {}});
    BOOST_TEST(due_for_daily_run(t.db, today - 1)->size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace signaal::stats
