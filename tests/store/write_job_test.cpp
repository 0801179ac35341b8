// Jobs and events of the single writer: a job commits with its group, a failed
// job changes nothing and spoils nothing, and the event listener hears every
// event of a durable commit, with per-desk seq, once.
#include "server/store/report_writer.hpp"
#include "server/store/statement.hpp"
#include "tests/store/sql_helpers.hpp"
#include "tests/store/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <future>
#include <mutex>

using namespace signaal::store;
using signaal::store::test::scalar;
using signaal::store::test::temp_dir;

namespace {

constexpr std::int64_t may_17_noon = 1'715'947'200;

report_record report_to(std::vector<std::string> desks, std::uint8_t seed) {
    report_record r;
    r.id = std::vector<std::uint8_t>(16, seed);
    r.received_day = "2024-05-17";
    r.role = "sex_worker";
    r.category = "other";
    r.consent = desks;
    r.desks = desks;
    r.nonce = std::vector<std::uint8_t>(24, seed);
    r.ciphertext = std::vector<std::uint8_t>(1040, seed);
    for (const auto& d : desks) {
        r.envelopes.push_back(
            {d, std::vector<std::uint8_t>(8, 1), std::vector<std::uint8_t>(80, seed)});
    }
    return r;
}

writer_options quiet_options() {
    writer_options o;
    o.prune_interval = std::chrono::hours(24);
    o.checkpoint_interval = std::chrono::hours(24);
    return o;
}

write_outcome store_report(report_writer& w, report_record r, std::uint8_t token) {
    std::promise<write_outcome> p;
    auto f = p.get_future();
    (void)w.submit({std::move(r), std::vector<std::uint8_t>(32, token)},
                   [&p](write_outcome o) { p.set_value(o); });
    return f.get();
}

signaal::status run_job(report_writer& w, std::function<signaal::status(job_context&)> apply) {
    std::promise<signaal::status> p;
    auto f = p.get_future();
    (void)w.submit_job({std::move(apply), [&p](signaal::status s) { p.set_value(s); }});
    return f.get();
}

struct heard_events {
    std::mutex mutex;
    std::vector<event_record> all;
    event_listener listener() {
        return [this](const std::vector<event_record>& committed) {
            std::lock_guard lock(mutex);
            all.insert(all.end(), committed.begin(), committed.end());
        };
    }
    std::vector<event_record> copy() {
        std::lock_guard lock(mutex);
        return all;
    }
};

struct fixture {
    temp_dir dir;
    database db = test::open_migrated(dir.db_path());
    signaal::manual_clock clock{may_17_noon};
    report_writer writer{dir.db_path(), quiet_options(), clock};
    heard_events heard;
    fixture() {
        writer.set_event_listener(heard.listener());
        BOOST_REQUIRE(writer.start());
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(write_job_suite, fixture)

BOOST_AUTO_TEST_CASE(report_events_are_heard_once_with_per_desk_seq) {
    BOOST_REQUIRE(store_report(writer, report_to({"care", "police"}, 1), 1) ==
                  write_outcome::committed);
    BOOST_REQUIRE(store_report(writer, report_to({"care"}, 2), 2) == write_outcome::committed);
    const auto events = heard.copy();
    BOOST_REQUIRE_EQUAL(events.size(), 3u);
    std::vector<std::int64_t> care_seqs, police_seqs;
    for (const auto& e : events) {
        BOOST_TEST(e.kind == "report");
        (e.desk == "care" ? care_seqs : police_seqs).push_back(e.seq);
    }
    BOOST_TEST((care_seqs == std::vector<std::int64_t>{1, 2}));
    BOOST_TEST((police_seqs == std::vector<std::int64_t>{1}));
    BOOST_TEST(events.back().report_id == std::vector<std::uint8_t>(16, 2));
}

BOOST_AUTO_TEST_CASE(a_job_commits_and_its_events_follow_the_desk_seq) {
    BOOST_REQUIRE(store_report(writer, report_to({"care"}, 7), 1) == write_outcome::committed);
    const auto no = scalar(db, "SELECT no FROM reports");
    const auto done = run_job(writer, [&](job_context& ctx) -> signaal::status {
        auto st = statement::prepare(ctx.db(), "UPDATE report_desks SET status = 'acknowledged' "
                                               "WHERE report_no = ?1 AND desk = 'care'");
        if (!st) {
            return st.error();
        }
        st->bind(1, no);
        if (auto ran = st->run(); !ran) {
            return ran.error();
        }
        auto seq = ctx.add_event("care", no, std::vector<std::uint8_t>(16, 7), "status");
        if (!seq) {
            return seq.error();
        }
        BOOST_TEST(*seq == 2);
        return {};
    });
    BOOST_TEST(done.has_value());
    BOOST_TEST(scalar(db, "SELECT count(*) FROM report_desks WHERE status = 'acknowledged'") == 1);
    const auto events = heard.copy();
    BOOST_REQUIRE_EQUAL(events.size(), 2u);
    BOOST_TEST(events[1].kind == "status");
    BOOST_TEST(events[1].seq == 2);
}

BOOST_AUTO_TEST_CASE(a_failed_job_changes_nothing_and_is_not_heard) {
    BOOST_REQUIRE(store_report(writer, report_to({"care"}, 3), 1) == write_outcome::committed);
    const auto no = scalar(db, "SELECT no FROM reports");
    const auto done = run_job(writer, [&](job_context& ctx) -> signaal::status {
        (void)ctx.add_event("care", no, std::vector<std::uint8_t>(16, 3), "status");
        return signaal::fail("refused after writing");
    });
    BOOST_REQUIRE(!done.has_value());
    BOOST_TEST(done.error().message == "refused after writing");
    BOOST_TEST(scalar(db, "SELECT count(*) FROM events") == 1);
    BOOST_TEST(heard.copy().size() == 1u);
    // The desk's next seq is unaffected by the rolled-back event.
    BOOST_REQUIRE(store_report(writer, report_to({"care"}, 4), 2) == write_outcome::committed);
    BOOST_TEST(scalar(db, "SELECT max(seq) FROM events WHERE desk = 'care'") == 2);
}

BOOST_AUTO_TEST_CASE(a_throwing_job_is_a_failed_job) {
    const auto done =
        run_job(writer, [](job_context&) -> signaal::status { throw std::runtime_error("boom"); });
    BOOST_REQUIRE(!done.has_value());
    BOOST_TEST(done.error().message.find("boom") != std::string::npos);
    BOOST_REQUIRE(store_report(writer, report_to({"care"}, 5), 1) == write_outcome::committed);
}

BOOST_AUTO_TEST_CASE(jobs_after_stop_are_refused_at_once) {
    writer.stop();
    std::optional<signaal::status> seen;
    BOOST_TEST(!writer.submit_job({[](job_context&) -> signaal::status { return {}; },
                                   [&](signaal::status s) { seen = s; }}));
    BOOST_REQUIRE(seen.has_value());
    BOOST_TEST(!seen->has_value());
}

BOOST_AUTO_TEST_SUITE_END()
