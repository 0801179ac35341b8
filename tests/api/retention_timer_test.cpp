// The server's daily retention run on a test clock: the real writer on a real
// SQLite file; the timer's own thread purges exactly the reports received
// before today − retention_days, once a day, and drops expired tokens and
// challenges from memory on every tick.
#include "server/api/challenge_store.hpp"
#include "server/api/report_sink.hpp"
#include "server/api/retention_timer.hpp"
#include "server/auth/token_registry.hpp"
#include "server/store/report_writer.hpp"
#include "server/store/statement.hpp"
#include "tests/store/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace signaal::api {
namespace {

constexpr std::int64_t seconds_per_day = 86400;
constexpr std::int64_t day0 = 20'000; // 2024-10-04

/// Reports received on the given days, each with text, an envelope, reply keys
/// and an event for care; written before the writer starts.
void insert_reports(const std::filesystem::path& file, const std::vector<std::int64_t>& days) {
    auto db = store::test::open_migrated(file);
    std::int64_t no = 0;
    for (const auto day : days) {
        ++no;
        auto r = store::statement::prepare(
                     db, "INSERT INTO reports (no, id, received_day, role, category, consent, "
                         "desks, nonce, ciphertext, reply_box_pk, reply_mailbox_pk) VALUES (?1, "
                         "randomblob(16), ?2, 'sex_worker', 'robbery', 'care', 'care', "
                         "randomblob(24), randomblob(1024), randomblob(32), randomblob(32))")
                     .value();
        r.bind(1, no);
        r.bind(2, day);
        BOOST_REQUIRE(r.run());
        for (const char* sql :
             {"INSERT INTO envelopes VALUES (?1, 'care', randomblob(8), randomblob(80))",
              "INSERT INTO report_desks (report_no, desk, status, status_day) "
              "VALUES (?1, 'care', 'new', 0)",
              "INSERT INTO events VALUES ('care', ?1, ?1, 'report')"}) {
            auto st = store::statement::prepare(db, sql).value();
            st.bind(1, no);
            BOOST_REQUIRE(st.run());
        }
    }
}

/// The report numbers that still hold text, in order.
std::vector<std::int64_t> with_text(const std::filesystem::path& file) {
    auto db = store::database::open(file, store::open_mode::read_only).value();
    auto st = store::statement::prepare(db, "SELECT r.no FROM reports r WHERE ciphertext IS NOT "
                                            "NULL AND EXISTS (SELECT 1 FROM envelopes e WHERE "
                                            "e.report_no = r.no) ORDER BY no")
                  .value();
    std::vector<std::int64_t> out;
    while (st.step().value()) {
        out.push_back(st.column_int64(0));
    }
    return out;
}

std::int64_t count(const std::filesystem::path& file, const char* sql) {
    auto db = store::database::open(file, store::open_mode::read_only).value();
    auto st = store::statement::prepare(db, sql).value();
    BOOST_REQUIRE(st.step().value());
    return st.column_int64(0);
}

/// Collects the timer's runs; a test waits for the purge of a given cut-off day.
class runs {
  public:
    void told(const result<std::optional<retention_run>>& run) {
        const std::lock_guard lock(mutex_);
        if (!run) {
            errors_.push_back(run.error().message);
        } else if (*run) {
            purges_.push_back(**run);
        }
        ++ticks_;
        changed_.notify_all();
    }
    /// The purge whose cut-off is `before_day` (fails the test after 20 s).
    retention_run purge_before(std::int64_t before_day) {
        std::unique_lock lock(mutex_);
        const bool seen = changed_.wait_for(lock, std::chrono::seconds(20), [&] {
            return !errors_.empty() || std::any_of(purges_.begin(), purges_.end(), [&](auto& p) {
                return p.before_day == before_day;
            });
        });
        BOOST_REQUIRE_MESSAGE(errors_.empty(), (errors_.empty() ? "" : errors_.front()));
        BOOST_REQUIRE_MESSAGE(seen, "no purge before day " << before_day);
        return *std::find_if(purges_.begin(), purges_.end(),
                             [&](auto& p) { return p.before_day == before_day; });
    }
    /// Waits for `more` ticks after now.
    void ticks(std::size_t more) {
        std::unique_lock lock(mutex_);
        const auto goal = ticks_ + more;
        BOOST_REQUIRE(
            changed_.wait_for(lock, std::chrono::seconds(20), [&] { return ticks_ >= goal; }));
    }
    std::size_t purges() {
        const std::lock_guard lock(mutex_);
        return purges_.size();
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<retention_run> purges_;
    std::vector<std::string> errors_;
    std::size_t ticks_ = 0;
};

BOOST_AUTO_TEST_CASE(the_daily_run_purges_exactly_the_reports_past_retention) {
    store::test::temp_dir dir;
    // Report 1: 200 days old, 2: 181, 3: 180 (kept: not before the cut-off), 4: 174, 5: 10.
    insert_reports(dir.db_path(), {day0 - 200, day0 - 181, day0 - 180, day0 - 174, day0 - 10});
    manual_clock clock{day0 * seconds_per_day + 3600};
    store::report_writer writer{dir.db_path(), {}, clock};
    BOOST_REQUIRE(writer.start());
    writer_sink sink{writer, 2048};
    auth::token_registry tokens{clock, 100};
    challenge_store challenges{clock, 60};
    runs seen;
    retention_timer timer(sink, 180, clock, tokens, challenges, std::chrono::milliseconds(5));
    timer.on_run([&seen](const auto& run) { seen.told(run); });
    timer.start();

    const auto first = seen.purge_before(day0 - 180);
    BOOST_TEST(first.reports == 2u);
    BOOST_TEST((with_text(dir.db_path()) == std::vector<std::int64_t>{3, 4, 5}));
    // Further ticks of the same day purge nothing again.
    seen.ticks(3);
    BOOST_TEST(seen.purges() == 1u);

    // A week later: reports 3 and 4 are past retention, report 5 is not.
    clock.advance(7 * seconds_per_day);
    const auto second = seen.purge_before(day0 + 7 - 180);
    BOOST_TEST(second.reports == 2u);
    timer.stop();
    writer.stop();
    BOOST_TEST((with_text(dir.db_path()) == std::vector<std::int64_t>{5}));
    // Counts stay: every report row and status row; the ticked consent is the desks.
    BOOST_TEST(count(dir.db_path(), "SELECT count(*) FROM reports") == 5);
    BOOST_TEST(count(dir.db_path(), "SELECT count(*) FROM report_desks") == 5);
    BOOST_TEST(count(dir.db_path(), "SELECT count(*) FROM reports WHERE reply_box_pk IS NULL AND "
                                    "reply_mailbox_pk IS NULL AND nonce IS NULL") == 4);
    // Events: report 5's stays, and so would the desk's newest whatever its report.
    BOOST_TEST(count(dir.db_path(), "SELECT count(*) FROM events") == 1);
    BOOST_TEST(count(dir.db_path(), "SELECT max(seq) FROM events WHERE desk = 'care'") == 5);
}

BOOST_AUTO_TEST_CASE(a_desks_newest_event_stays_so_its_seq_never_goes_back) {
    store::test::temp_dir dir;
    insert_reports(dir.db_path(), {day0 - 300, day0 - 200});
    manual_clock clock{day0 * seconds_per_day};
    store::report_writer writer{dir.db_path(), {}, clock};
    BOOST_REQUIRE(writer.start());
    writer_sink sink{writer, 2048};
    auth::token_registry tokens{clock, 100};
    challenge_store challenges{clock, 60};
    retention_timer timer(sink, 180, clock, tokens, challenges, std::chrono::hours(24));
    const auto run = timer.run_once();
    BOOST_REQUIRE(run.has_value());
    BOOST_REQUIRE(run->has_value());
    BOOST_TEST((*run)->reports == 2u);
    BOOST_TEST(!timer.run_once().value().has_value()); // once a day
    writer.stop();
    BOOST_TEST(with_text(dir.db_path()).empty());
    BOOST_TEST(count(dir.db_path(), "SELECT count(*) FROM events") == 1);
    BOOST_TEST(count(dir.db_path(), "SELECT max(seq) FROM events WHERE desk = 'care'") == 2);
}

BOOST_AUTO_TEST_CASE(every_tick_drops_expired_tokens_and_challenges) {
    store::test::temp_dir dir;
    (void)store::test::open_migrated(dir.db_path());
    manual_clock clock{day0 * seconds_per_day};
    store::report_writer writer{dir.db_path(), {}, clock};
    BOOST_REQUIRE(writer.start());
    writer_sink sink{writer, 2048};
    auth::token_registry tokens{clock, 100};
    challenge_store challenges{clock, 60};
    auth::principal who;
    who.staff_id = "ann";
    who.desks = {"care"};
    BOOST_REQUIRE(tokens.issue(who, 600));
    BOOST_REQUIRE(tokens.issue(who, 7200));
    BOOST_REQUIRE(challenges.issue());
    retention_timer timer(sink, 180, clock, tokens, challenges, std::chrono::hours(24));
    BOOST_REQUIRE(timer.run_once());
    BOOST_TEST(tokens.size() == 2u);
    BOOST_TEST(challenges.outstanding() == 1u);
    clock.advance(601);
    BOOST_REQUIRE(timer.run_once());
    BOOST_TEST(tokens.size() == 1u); // the 2-hour one is live
    BOOST_TEST(challenges.outstanding() == 0u);
    writer.stop();
}

} // namespace
} // namespace signaal::api
