// A status change as a writer job: that desk's status, its first
// acknowledgement and close days set once, a `status` event for that desk
// only, an audit row; refusals write nothing.
#include "server/store/audit_log.hpp"
#include "server/store/report_writer.hpp"
#include "server/store/status_change.hpp"
#include "tests/store/sql_helpers.hpp"
#include "tests/store/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <future>
#include <mutex>

using namespace signaal::store;
using signaal::store::test::scalar;
using signaal::store::test::temp_dir;
using signaal::store::test::texts;

namespace {

constexpr std::int64_t may_17 = 19'860; // 2024-05-17, the reports' day

report_record report_to(std::uint8_t n, std::vector<std::string> desks) {
    report_record r;
    r.id = std::vector<std::uint8_t>(16, n);
    r.received_day = "2024-05-17";
    r.role = "sex_worker";
    r.category = "violence";
    r.consent = desks;
    r.desks = desks;
    r.nonce = std::vector<std::uint8_t>(24, n);
    r.ciphertext = std::vector<std::uint8_t>(1040, n);
    for (const auto& d : desks) {
        r.envelopes.push_back(
            {d, std::vector<std::uint8_t>(8, 1), std::vector<std::uint8_t>(80, n)});
    }
    return r;
}

struct fixture {
    temp_dir dir;
    database db = test::open_migrated(dir.db_path());
    signaal::manual_clock clock{1'715'947'200};
    report_writer writer{dir.db_path(), {}, clock};
    std::mutex mutex;
    std::vector<event_record> heard; // guarded by mutex

    fixture() {
        writer.set_event_listener([this](const std::vector<event_record>& events) {
            std::lock_guard lock(mutex);
            heard.insert(heard.end(), events.begin(), events.end());
        });
        BOOST_REQUIRE(writer.start());
        store(report_to(1, {"care", "police"}), 1);
        store(report_to(2, {"care"}), 2);
        std::lock_guard lock(mutex);
        heard.clear();
    }

    void store(report_record r, std::uint8_t token) {
        std::promise<write_outcome> p;
        auto f = p.get_future();
        (void)writer.submit({std::move(r), std::vector<std::uint8_t>(32, token)},
                            [&p](write_outcome o) { p.set_value(o); });
        BOOST_REQUIRE(f.get() == write_outcome::committed);
    }

    // Runs the change as a job; its outcome once durable.
    status_change_outcome change(std::uint8_t report, std::string desk, std::string status,
                                 std::vector<std::string> reader_desks, std::int64_t day) {
        const status_change c{std::vector<std::uint8_t>(16, report),
                              std::move(desk),
                              std::move(status),
                              std::move(reader_desks),
                              day,
                              "care-1"};
        status_change_outcome out;
        std::promise<signaal::status> p;
        auto f = p.get_future();
        (void)writer.submit_job({[&](job_context& job) -> signaal::status {
                                     auto applied = apply_status_change(job, c);
                                     if (!applied) {
                                         return applied.error();
                                     }
                                     out = std::move(*applied);
                                     return {};
                                 },
                                 [&p](signaal::status s) { p.set_value(s); }});
        const auto done = f.get();
        BOOST_REQUIRE_MESSAGE(done.has_value(), done.error().message);
        return out;
    }

    std::string days(const std::string& desk) {
        const auto rows = texts(db, "SELECT status || ' ' || status_day || ' ' || "
                                    "coalesce(ack_day, '-') || ' ' || coalesce(closed_day, '-') "
                                    "FROM report_desks WHERE report_no = 1 AND desk = '" +
                                        desk + "'");
        BOOST_REQUIRE_EQUAL(rows.size(), 1u);
        return rows[0];
    }
    std::vector<std::string> events() {
        return texts(db, "SELECT desk || ' ' || seq || ' ' || report_no || ' ' || kind "
                         "FROM events ORDER BY desk, seq");
    }
};

using kind = status_change_outcome::kind;
using status_map = std::map<std::string, std::string>;
const std::vector<std::string> initial_events{"care 1 1 report", "care 2 2 report",
                                              "police 1 1 report"};

} // namespace

BOOST_FIXTURE_TEST_SUITE(status_changes, fixture)

BOOST_AUTO_TEST_CASE(a_change_is_an_event_of_that_desk_only_and_sets_its_days_once) {
    auto first = change(1, "care", "acknowledged", {"care"}, may_17);
    BOOST_TEST((first.what == kind::changed));
    BOOST_TEST((first.status == status_map{{"care", "acknowledged"}}));
    BOOST_TEST(days("care") == "acknowledged 19860 19860 -");
    BOOST_TEST(days("police") == "new 19860 - -");
    BOOST_TEST(events() == (std::vector<std::string>{"care 1 1 report", "care 2 2 report",
                                                     "care 3 1 status", "police 1 1 report"}));
    {
        std::lock_guard lock(mutex);
        BOOST_REQUIRE_EQUAL(heard.size(), 1u);
        BOOST_TEST(
            (heard[0] == event_record{"care", 3, std::vector<std::uint8_t>(16, 1), "status"}));
    }

    // The same status again: nothing written.
    BOOST_TEST((change(1, "care", "acknowledged", {"care"}, may_17 + 1).what == kind::unchanged));
    BOOST_TEST(days("care") == "acknowledged 19860 19860 -");
    BOOST_TEST(events().size() == 4u);

    BOOST_TEST((change(1, "care", "closed", {"care"}, may_17 + 1).what == kind::changed));
    BOOST_TEST(days("care") == "closed 19861 19860 19861");
    // Reopened and closed again later: the first days stay.
    BOOST_TEST((change(1, "care", "in_progress", {"care"}, may_17 + 2).what == kind::changed));
    BOOST_TEST((change(1, "care", "new", {"care"}, may_17 + 3).what == kind::changed));
    const auto last = change(1, "care", "closed", {"care", "police"}, may_17 + 4);
    BOOST_TEST((last.status == status_map{{"care", "closed"}, {"police", "new"}}));
    BOOST_TEST(days("care") == "closed 19864 19860 19861");
    BOOST_TEST(days("police") == "new 19860 - -");
    BOOST_TEST(scalar(db, "SELECT count(*) FROM events WHERE desk = 'police'") == 1);

    // One audit row per change, with who and which report; none for the unchanged.
    audit_log audit(db);
    const auto rows = audit.list(std::nullopt);
    BOOST_REQUIRE(rows.has_value());
    BOOST_REQUIRE_EQUAL(rows->size(), 5u);
    BOOST_TEST(rows->front().staff == "care-1");
    BOOST_TEST((rows->front().action == audit_action::status_change));
    BOOST_TEST(rows->front().report_id == std::vector<std::uint8_t>(16, 1));
    BOOST_TEST(rows->front().day == "2024-05-17");
}

BOOST_AUTO_TEST_CASE(a_report_routed_elsewhere_is_not_found_and_nothing_is_written) {
    // Report 2 is care's only: police cannot tell it from one that does not exist.
    BOOST_TEST((change(2, "police", "closed", {"police"}, may_17).what == kind::not_found));
    BOOST_TEST((change(9, "police", "closed", {"police"}, may_17).what == kind::not_found));
    // Routed to the reader, not to the desk named.
    const auto other = change(2, "municipality", "closed", {"care", "municipality"}, may_17);
    BOOST_TEST((other.what == kind::not_routed));
    BOOST_TEST(events() == initial_events);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM report_desks WHERE status <> 'new'") == 0);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM audit") == 0);
    std::lock_guard lock(mutex);
    BOOST_TEST(heard.empty());
}

BOOST_AUTO_TEST_CASE(only_the_four_statuses_exist) {
    for (const char* s : {"new", "acknowledged", "in_progress", "closed"}) {
        BOOST_TEST(is_report_status(s));
    }
    for (const char* s : {"", "New", "done", "closed ", "withdrawn"}) {
        BOOST_TEST(!is_report_status(s));
    }
}

BOOST_AUTO_TEST_SUITE_END()
