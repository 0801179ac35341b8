#include "server/store/report_writer.hpp"
#include "tests/store/sql_helpers.hpp"
#include "tests/store/temp_dir.hpp"
#include "tests/store/wal_file.hpp"
#include "tests/store/watched_clock.hpp"
#include "tests/support/report_reader.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <ostream>
#include <set>
#include <thread>

namespace signaal::store {
// For Boost.Test messages.
inline std::ostream& operator<<(std::ostream& os, write_outcome o) {
    return os << to_string(o);
}
} // namespace signaal::store

using namespace signaal::store;
using signaal::store::test::scalar;
using signaal::store::test::temp_dir;
using signaal::store::test::texts;
using signaal::store::test::wal_commit_ends;
using signaal::store::test::watched_clock;

namespace {

std::vector<std::uint8_t> bytes_of(std::size_t n, std::uint32_t seed) {
    // The seed's four bytes first, so distinct seeds give distinct values.
    std::vector<std::uint8_t> b(n);
    for (std::size_t i = 0; i < n; ++i) {
        b[i] = i < 4 ? static_cast<std::uint8_t>(seed >> (8 * i))
                     : static_cast<std::uint8_t>((seed * 131u + i * 17u) & 0xFFu);
    }
    return b;
}

// A routed report to care and police, optionally with reply keys.
report_record routed_report(std::uint32_t n, bool reply) {
    report_record r;
    r.id = bytes_of(16, n);
    r.received_day = "2024-05-17";
    r.role = "sex_worker";
    r.category = "violence";
    r.consent = {"care", "municipality", "police"};
    r.desks = {"care", "police"};
    r.nonce = bytes_of(24, n + 1);
    r.ciphertext = bytes_of(1024 + 16, n + 2);
    r.envelopes = {{"care", bytes_of(8, 100), bytes_of(80, n + 3)},
                   {"police", bytes_of(8, 200), bytes_of(80, n + 4)}};
    if (reply) {
        r.reply_box_pk = bytes_of(32, n + 5);
        r.reply_mailbox_pk = bytes_of(32, n + 6);
    }
    return r;
}

report_record count_only_report(std::uint32_t n) {
    report_record r;
    r.id = bytes_of(16, n);
    r.received_day = "2024-05-18";
    r.role = "peer_expert";
    r.category = "health";
    r.consent = {"police"}; // consented, but police is not routed for health
    return r;
}

write_request request_for(report_record r, std::uint32_t token) {
    return write_request{std::move(r), bytes_of(32, 0xC0DE0000u + token)};
}

// 2024-05-17 12:00 UTC, the routed reports' day.
constexpr std::int64_t may_17_noon = 1'715'947'200;
constexpr std::int64_t day = 86'400;

// Collects outcomes; completions run on the writer thread.
struct outcomes {
    std::mutex mutex;
    std::condition_variable arrived;
    std::vector<write_outcome> seen;
    std::set<std::thread::id> threads;

    write_completion completion() {
        return [this](write_outcome o) {
            std::lock_guard lock(mutex);
            seen.push_back(o);
            threads.insert(std::this_thread::get_id());
            arrived.notify_all();
        };
    }
    std::size_t count(write_outcome o) {
        std::lock_guard lock(mutex);
        return static_cast<std::size_t>(std::count(seen.begin(), seen.end(), o));
    }
    std::size_t size() {
        std::lock_guard lock(mutex);
        return seen.size();
    }
    void wait_for(std::size_t n) {
        std::unique_lock lock(mutex);
        arrived.wait(lock, [&] { return seen.size() >= n; });
    }
};

// Submits and waits for the outcome.
write_outcome submit_and_wait(report_writer& w, write_request req) {
    std::promise<write_outcome> p;
    auto f = p.get_future();
    (void)w.submit(std::move(req), [p = std::move(p)](write_outcome o) mutable { p.set_value(o); });
    return f.get();
}

// Timers that do not fire during a test unless it asks for them.
writer_options options(std::size_t batch_max, std::size_t max_pending) {
    writer_options o;
    o.batch_max = batch_max;
    o.max_pending = max_pending;
    o.prune_interval = std::chrono::hours(24);
    o.checkpoint_interval = std::chrono::hours(24);
    return o;
}

struct fixture {
    temp_dir dir;
    database db = test::open_migrated(dir.db_path()); // also the checking connection
    signaal::manual_clock clock{may_17_noon};

    std::optional<report_record> find(std::span<const std::uint8_t> id) {
        auto reader = signaal::testing::report_reader::open(dir.db_path());
        BOOST_REQUIRE_MESSAGE(reader.has_value(), reader.error().message);
        auto r = reader->find(id);
        BOOST_REQUIRE_MESSAGE(r.has_value(), r.error().message);
        return *r;
    }
    std::int64_t count(const char* table_sql) { return scalar(db, table_sql); }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(report_writer_suite, fixture)

BOOST_AUTO_TEST_CASE(reports_read_back_identical) {
    report_writer w(dir.db_path(), options(16, 64), clock);
    BOOST_REQUIRE(w.start());

    const auto with_reply = routed_report(1, true);
    const auto without_reply = routed_report(2, false);
    const auto count_only = count_only_report(3);
    BOOST_TEST(to_string(submit_and_wait(w, request_for(with_reply, 1))) == "committed");
    BOOST_TEST(to_string(submit_and_wait(w, request_for(without_reply, 2))) == "committed");
    BOOST_TEST(to_string(submit_and_wait(w, request_for(count_only, 3))) == "committed");
    w.stop();

    BOOST_TEST((find(with_reply.id) == std::optional(with_reply)));
    BOOST_TEST((find(without_reply.id) == std::optional(without_reply)));
    BOOST_TEST((find(count_only.id) == std::optional(count_only)));
    BOOST_TEST(!find(bytes_of(16, 999)).has_value());

    auto reader = signaal::testing::report_reader::open(dir.db_path());
    BOOST_REQUIRE(reader.has_value());
    BOOST_TEST(*reader->count() == 3);

    // Keyed by an increasing integer, in commit order; days as integers.
    BOOST_TEST(texts(db, "SELECT no || ' ' || received_day FROM reports ORDER BY no") ==
               (std::vector<std::string>{"1 19860", "2 19860", "3 19861"}));
    // Stored as NULL, not as empty blobs.
    BOOST_TEST(count("SELECT count(*) FROM reports WHERE nonce IS NULL AND ciphertext IS NULL "
                     "AND reply_box_pk IS NULL AND reply_mailbox_pk IS NULL") == 1);
    BOOST_TEST(count("SELECT count(*) FROM reports WHERE reply_box_pk IS NULL") == 2);
    BOOST_TEST(texts(db, "SELECT consent || '|' || desks FROM reports ORDER BY no") ==
               (std::vector<std::string>{"care,municipality,police|care,police",
                                         "care,municipality,police|care,police", "police|"}));

    // Per routed desk: status 'new' on the received day and one 'report' event,
    // numbered within the desk; nothing for the count-only report.
    BOOST_TEST(count("SELECT count(*) FROM envelopes") == 4);
    BOOST_TEST(count("SELECT count(*) FROM report_desks WHERE status = 'new' AND "
                     "status_day = 19860 AND ack_day IS NULL AND closed_day IS NULL") == 4);
    BOOST_TEST(texts(db, "SELECT desk || ' ' || seq || ' ' || report_no || ' ' || kind "
                         "FROM events ORDER BY desk, seq") ==
               (std::vector<std::string>{"care 1 1 report", "care 2 2 report", "police 1 1 report",
                                         "police 2 2 report"}));
    BOOST_TEST(texts(db, "SELECT forget_day FROM spent_pow ORDER BY forget_day") ==
               (std::vector<std::string>{"19862", "19862", "19863"}));
}

BOOST_AUTO_TEST_CASE(concurrent_submits_commit_in_groups) {
    constexpr int threads = 8;
    constexpr int per_thread = 125;
    constexpr std::size_t total = threads * per_thread;
    outcomes out;
    report_writer w(dir.db_path(), options(64, total), clock);
    BOOST_REQUIRE(w.start());
    // A reader holding a snapshot from before the run: no frame of the run can
    // be checkpointed away, so the WAL shows every commit.
    auto pin = database::open(dir.db_path(), open_mode::read_only);
    BOOST_REQUIRE(pin.has_value());
    BOOST_REQUIRE(pin->exec("BEGIN"));
    BOOST_REQUIRE(scalar(*pin, "SELECT count(*) FROM reports") == 0);

    std::atomic<std::size_t> accepted{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                const auto n = static_cast<std::uint32_t>(t * per_thread + i);
                if (w.submit(request_for(routed_report(n, i % 2 == 0), n), out.completion())) {
                    ++accepted; // Boost.Test macros are not thread-safe: assert afterwards
                }
            }
        });
    }
    for (auto& th : pool) {
        th.join();
    }
    // Every completion came after its COMMIT: count the commits in the WAL
    // before stop() checkpoints it away.
    out.wait_for(total);
    const std::size_t commits = wal_commit_ends(dir.path() / "signaal.db-wal").size();
    BOOST_REQUIRE(pin->exec("COMMIT"));
    w.stop();

    BOOST_TEST(accepted.load() == total);
    BOOST_TEST(out.count(write_outcome::committed) == total);
    BOOST_TEST(commits >= total / 64);
    BOOST_TEST(commits < total); // grouped: fewer commits than requests
    BOOST_TEST_MESSAGE("1000 reports in " << commits << " commits");
    BOOST_TEST(out.threads.size() == 1u); // every completion on the writer thread
    BOOST_TEST(out.threads.count(std::this_thread::get_id()) == 0u);

    BOOST_TEST(count("SELECT count(*) FROM reports") == static_cast<std::int64_t>(total));
    BOOST_TEST(count("SELECT max(no) FROM reports") == static_cast<std::int64_t>(total));
    // Each desk numbers its own events 1..n without a gap.
    for (const char* desk : {"care", "police"}) {
        BOOST_TEST_CONTEXT(desk) {
            auto st = statement::prepare(db, "SELECT count(*), min(seq), max(seq) FROM events "
                                             "WHERE desk = ?1");
            BOOST_REQUIRE(st.has_value());
            st->bind(1, std::string_view(desk));
            BOOST_REQUIRE(*st->step());
            BOOST_TEST(st->column_int64(0) == static_cast<std::int64_t>(total));
            BOOST_TEST(st->column_int64(1) == 1);
            BOOST_TEST(st->column_int64(2) == static_cast<std::int64_t>(total));
        }
    }
    BOOST_TEST((find(routed_report(777, false).id) == std::optional(routed_report(777, false))));
}

// The rows of one commit group are stored in random order: `no` does not say
// which of them came first.
BOOST_AUTO_TEST_CASE(rows_of_one_commit_are_shuffled) {
    constexpr std::uint32_t n = 64;
    outcomes out;
    report_writer w(dir.db_path(), options(n, n), clock);
    for (std::uint32_t i = 0; i < n; ++i) {
        BOOST_REQUIRE(w.submit(request_for(routed_report(i, false), i), out.completion()));
    }
    BOOST_REQUIRE(w.start()); // all 64 were queued: one batch
    w.stop();
    BOOST_TEST(out.count(write_outcome::committed) == n);
    std::vector<std::string> arrival;
    for (std::uint32_t i = 0; i < n; ++i) {
        std::string hex;
        for (const auto b : routed_report(i, false).id) {
            static constexpr char digits[] = "0123456789ABCDEF";
            hex += digits[b >> 4];
            hex += digits[b & 0xF];
        }
        arrival.push_back(hex);
    }
    const auto stored = texts(db, "SELECT hex(id) FROM reports ORDER BY no");
    BOOST_REQUIRE_EQUAL(stored.size(), arrival.size());
    BOOST_TEST((std::set<std::string>(stored.begin(), stored.end()) ==
                std::set<std::string>(arrival.begin(), arrival.end())));
    BOOST_TEST((stored != arrival)); // the same order by chance: 1 in 64!
    // The events of each desk follow the same shuffled order.
    BOOST_TEST(texts(db, "SELECT report_no FROM events WHERE desk = 'care' ORDER BY seq") ==
               texts(db, "SELECT no FROM reports ORDER BY no"));
}

BOOST_AUTO_TEST_CASE(reused_pow_stores_nothing) {
    report_writer w(dir.db_path(), options(16, 64), clock);
    BOOST_REQUIRE(w.start());
    const auto first = routed_report(10, true);
    auto second = routed_report(11, true);
    BOOST_TEST(to_string(submit_and_wait(w, request_for(first, 7))) == "committed");
    BOOST_TEST(to_string(submit_and_wait(w, request_for(second, 7))) == "pow_reused");
    // Spent yesterday is spent today (a token lives across midnight).
    second.received_day = "2024-05-18";
    BOOST_TEST(to_string(submit_and_wait(w, request_for(second, 7))) == "pow_reused");
    w.stop();
    BOOST_TEST(find(first.id).has_value());
    BOOST_TEST(!find(second.id).has_value());
    BOOST_TEST(count("SELECT count(*) FROM reports") == 1);
    BOOST_TEST(count("SELECT count(*) FROM envelopes") == 2);
    BOOST_TEST(count("SELECT count(*) FROM report_desks") == 2);
    BOOST_TEST(count("SELECT count(*) FROM events") == 2);
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 1);
}

// Spent tokens are checked in memory; the table is only appended to.
BOOST_AUTO_TEST_CASE(a_token_twice_in_one_batch_is_spent_once) {
    outcomes out;
    report_writer w(dir.db_path(), options(16, 64), clock);
    // Queued before start(): one batch.
    (void)w.submit(request_for(routed_report(80, false), 8), out.completion());
    (void)w.submit(request_for(routed_report(81, false), 8), out.completion());
    BOOST_REQUIRE(w.start());
    out.wait_for(2);
    BOOST_TEST(out.count(write_outcome::committed) == 1u);
    BOOST_TEST(out.count(write_outcome::pow_reused) == 1u);
    // And in the next batch too.
    BOOST_TEST(submit_and_wait(w, request_for(routed_report(82, false), 8)) ==
               write_outcome::pow_reused);
    w.stop();
    BOOST_TEST(count("SELECT count(*) FROM reports") == 1);
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 1);
}

BOOST_AUTO_TEST_CASE(a_restarted_writer_remembers_spent_tokens) {
    {
        report_writer w(dir.db_path(), options(16, 64), clock);
        BOOST_REQUIRE(w.start());
        BOOST_TEST(submit_and_wait(w, request_for(routed_report(90, false), 9)) ==
                   write_outcome::committed);
    }
    report_writer w(dir.db_path(), options(16, 64), clock);
    BOOST_REQUIRE(w.start()); // loads the spent tokens from spent_pow
    BOOST_TEST(submit_and_wait(w, request_for(routed_report(91, false), 9)) ==
               write_outcome::pow_reused);
    BOOST_TEST(submit_and_wait(w, request_for(routed_report(92, false), 10)) ==
               write_outcome::committed);
    w.stop();
    BOOST_TEST(count("SELECT count(*) FROM reports") == 2);
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 2);
}

// A token becomes spent in memory only when its batch committed.
BOOST_AUTO_TEST_CASE(a_failed_batch_leaves_no_token_spent) {
    // The second report a batch stores makes SQLite roll the whole transaction
    // back, after the first request's savepoint was released.
    BOOST_REQUIRE(db.exec("CREATE TRIGGER fail_batch AFTER INSERT ON reports "
                          "WHEN (SELECT count(*) FROM reports) >= 2 "
                          "BEGIN SELECT RAISE(ROLLBACK, 'refused by the test'); END"));
    outcomes out;
    report_writer w(dir.db_path(), options(16, 64), clock);
    (void)w.submit(request_for(routed_report(100, false), 100), out.completion());
    (void)w.submit(request_for(routed_report(101, false), 101), out.completion());
    BOOST_REQUIRE(w.start());
    out.wait_for(2);
    BOOST_TEST(out.count(write_outcome::failed) == 2u);

    // A request refused inside a batch that commits: its savepoint rolled back.
    auto bad = routed_report(102, false);
    bad.id.pop_back(); // the schema's CHECK refuses it, after its token was inserted
    BOOST_TEST(submit_and_wait(w, request_for(bad, 102)) == write_outcome::failed);
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 0);

    BOOST_REQUIRE(db.exec("DROP TRIGGER fail_batch"));
    for (std::uint32_t token : {100u, 101u, 102u}) {
        BOOST_TEST(submit_and_wait(w, request_for(routed_report(110 + token, false), token)) ==
                   write_outcome::committed);
    }
    w.stop();
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 3);
}

// Requests queued before start() land in one batch: a reuse or a refused report
// inside a batch undoes only that request.
BOOST_AUTO_TEST_CASE(one_bad_request_does_not_spoil_its_batch) {
    std::vector<write_outcome> in_order(5);
    report_writer w(dir.db_path(), options(16, 64), clock);
    auto bad = routed_report(22, false);
    bad.id.pop_back(); // 15 bytes: the schema's CHECK refuses it
    auto bad_day = routed_report(25, false);
    bad_day.received_day = "2024-13-01";
    (void)w.submit(request_for(routed_report(20, false), 1),
                   [&](write_outcome o) { in_order[0] = o; });
    (void)w.submit(request_for(routed_report(21, false), 1),
                   [&](write_outcome o) { in_order[1] = o; });
    (void)w.submit(request_for(bad, 2), [&](write_outcome o) { in_order[2] = o; });
    (void)w.submit(request_for(count_only_report(23), 3),
                   [&](write_outcome o) { in_order[3] = o; });
    (void)w.submit(request_for(bad_day, 4), [&](write_outcome o) { in_order[4] = o; });
    BOOST_REQUIRE(w.start());
    w.stop();

    // The same token twice in one batch: whichever the shuffle put first wins.
    const std::set<std::string> same_token{to_string(in_order[0]), to_string(in_order[1])};
    BOOST_TEST((same_token == std::set<std::string>{"committed", "pow_reused"}));
    BOOST_TEST(to_string(in_order[2]) == "failed");
    BOOST_TEST(to_string(in_order[3]) == "committed");
    BOOST_TEST(to_string(in_order[4]) == "failed");
    BOOST_TEST(count("SELECT count(*) FROM reports") == 2);
    BOOST_TEST(count("SELECT count(*) FROM events") == 2);
    // The failed requests' tokens were not spent: their savepoints were rolled back.
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 2);
    BOOST_TEST(submit_and_wait(w, request_for(routed_report(24, false), 9)) ==
               write_outcome::busy); // stopped
}

BOOST_AUTO_TEST_CASE(full_queue_answers_busy_at_once) {
    constexpr std::size_t max_pending = 4;
    report_writer w(dir.db_path(), options(2, max_pending), clock);
    BOOST_REQUIRE(w.start());

    // Hold the writer thread inside the first completion while the queue fills.
    std::promise<void> entered, release;
    auto entered_f = entered.get_future();
    auto release_f = release.get_future().share();
    outcomes out;
    BOOST_REQUIRE(
        w.submit(request_for(routed_report(30, false), 30), [&, release_f](write_outcome o) {
            entered.set_value();
            release_f.wait();
            out.completion()(o);
        }));
    entered_f.wait();
    for (std::uint32_t i = 0; i < max_pending; ++i) {
        BOOST_TEST(w.submit(request_for(routed_report(31 + i, false), 31 + i), out.completion()));
    }

    std::thread::id busy_thread;
    write_outcome busy_outcome = write_outcome::committed;
    const auto refused = routed_report(40, false);
    BOOST_TEST(!w.submit(request_for(refused, 40), [&](write_outcome o) {
        busy_outcome = o;
        busy_thread = std::this_thread::get_id();
    }));
    BOOST_TEST(to_string(busy_outcome) == "busy");
    BOOST_TEST((busy_thread == std::this_thread::get_id())); // synchronously, in submit()

    release.set_value();
    w.stop();
    BOOST_TEST(out.count(write_outcome::committed) == max_pending + 1);
    BOOST_TEST(!find(refused.id).has_value());
    BOOST_TEST(count("SELECT count(*) FROM reports") == static_cast<std::int64_t>(max_pending + 1));
}

BOOST_AUTO_TEST_CASE(stop_drains_every_queued_request) {
    constexpr std::uint32_t n = 300;
    outcomes out;
    {
        report_writer w(dir.db_path(), options(8, n), clock);
        BOOST_REQUIRE(w.start());
        for (std::uint32_t i = 0; i < n; ++i) {
            BOOST_REQUIRE(
                w.submit(request_for(routed_report(1000 + i, false), i), out.completion()));
        }
        w.stop(); // returns only when all are done
        BOOST_TEST(out.count(write_outcome::committed) == n);
        w.stop(); // idempotent
    }
    BOOST_TEST(count("SELECT count(*) FROM reports") == static_cast<std::int64_t>(n));

    // The destructor drains too.
    outcomes more;
    {
        report_writer w(dir.db_path(), options(8, n), clock);
        BOOST_REQUIRE(w.start());
        for (std::uint32_t i = 0; i < 50; ++i) {
            (void)w.submit(request_for(routed_report(5000 + i, false), 5000 + i),
                           more.completion());
        }
    }
    BOOST_TEST(more.count(write_outcome::committed) == 50u);
    BOOST_TEST(count("SELECT count(*) FROM reports") == static_cast<std::int64_t>(n + 50));
}

BOOST_AUTO_TEST_CASE(stop_without_start_fails_queued_requests) {
    outcomes out;
    report_writer w(dir.db_path(), options(8, 8), clock);
    BOOST_REQUIRE(w.submit(request_for(routed_report(50, false), 50), out.completion()));
    w.stop();
    BOOST_TEST(out.count(write_outcome::failed) == 1u);
    BOOST_TEST(!w.start().has_value());
    BOOST_TEST(count("SELECT count(*) FROM reports") == 0);
}

BOOST_AUTO_TEST_CASE(unmigrated_database_is_refused) {
    temp_dir other;
    report_writer w(other.db_path(), options(8, 8), clock);
    auto s = w.start();
    BOOST_TEST(!s.has_value());
    BOOST_TEST(s.error().message.find("run the migrations first") != std::string::npos);
}

// SECURITY.md: spent tokens are kept for whole days and dropped by the
// writer's timer, also when no report comes.
BOOST_AUTO_TEST_CASE(expired_spent_tokens_are_pruned_by_the_timer) {
    watched_clock watched(may_17_noon);
    auto o = options(8, 8);
    o.prune_interval = std::chrono::milliseconds(1);
    report_writer w(dir.db_path(), o, watched);
    BOOST_REQUIRE(w.start());
    BOOST_TEST(submit_and_wait(w, request_for(routed_report(60, false), 60)) ==
               write_outcome::committed); // received 2024-05-17: kept until 05-19
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 1);

    // The next day the token may still be presented (it lived across midnight): kept.
    watched.set(may_17_noon + day);
    BOOST_REQUIRE(watched.wait_for_reads(2)); // a whole prune ran on this day
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 1);

    // The day after, it is gone, with no report to trigger it.
    watched.set(may_17_noon + 2 * day - 12 * 3600); // 2024-05-19 00:00
    BOOST_REQUIRE(watched.wait_for_reads(2));
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 0);
    BOOST_TEST(count("SELECT count(*) FROM reports") == 1); // pruning touches only spent_pow
    // Forgotten in memory too: the same token is taken again (the page would
    // refuse it as expired long before; the store no longer has to).
    BOOST_TEST(submit_and_wait(w, request_for(routed_report(61, false), 60)) ==
               write_outcome::committed);
    w.stop();
}

// SECURITY.md: the WAL is checkpointed and cut to zero bytes on a timer, so no
// old frame lingers in it.
BOOST_AUTO_TEST_CASE(wal_is_checkpointed_and_truncated_by_the_timer) {
    const auto wal = dir.path() / "signaal.db-wal";
    {
        report_writer w(dir.db_path(), options(8, 8), clock);
        BOOST_REQUIRE(w.start());
        BOOST_TEST(submit_and_wait(w, request_for(routed_report(70, false), 70)) ==
                   write_outcome::committed);
        // Control: without the timer, the commit sits in the WAL.
        BOOST_TEST(wal_commit_ends(wal).size() == 1u);
        BOOST_TEST(std::filesystem::file_size(wal) > 0u);
    }
    BOOST_TEST(std::filesystem::file_size(wal) == 0u); // stop() checkpoints too

    watched_clock watched(may_17_noon);
    auto o = options(8, 8);
    o.prune_interval = std::chrono::milliseconds(1); // the clock read marks each tick
    o.checkpoint_interval = std::chrono::milliseconds(1);
    report_writer w(dir.db_path(), o, watched);
    BOOST_REQUIRE(w.start());
    for (std::uint32_t i = 0; i < 3; ++i) {
        BOOST_TEST(submit_and_wait(w, request_for(routed_report(71 + i, false), 71 + i)) ==
                   write_outcome::committed);
    }
    BOOST_REQUIRE(watched.wait_for_reads(2)); // a whole tick ran after the last commit
    BOOST_TEST(std::filesystem::file_size(wal) == 0u);
    BOOST_TEST(count("SELECT count(*) FROM reports") == 4);
    w.stop();
}

BOOST_AUTO_TEST_SUITE_END()
