#include "server/store/report_reader.hpp"
#include "server/store/report_writer.hpp"
#include "tests/store/sql_helpers.hpp"
#include "tests/store/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
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

write_request request_for(report_record r, std::uint32_t token,
                          std::int64_t expires = 4'000'000'000) {
    return write_request{std::move(r), bytes_of(32, 0xC0DE0000u + token), expires};
}

// Collects outcomes; completions run on the writer thread.
struct outcomes {
    std::mutex mutex;
    std::vector<write_outcome> seen;
    std::set<std::thread::id> threads;

    write_completion completion() {
        return [this](write_outcome o) {
            std::lock_guard lock(mutex);
            seen.push_back(o);
            threads.insert(std::this_thread::get_id());
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
};

// Submits and waits for the outcome.
write_outcome submit_and_wait(report_writer& w, write_request req) {
    std::promise<write_outcome> p;
    auto f = p.get_future();
    (void)w.submit(std::move(req), [p = std::move(p)](write_outcome o) mutable { p.set_value(o); });
    return f.get();
}

struct fixture {
    temp_dir dir;
    database db = test::open_migrated(dir.db_path()); // also the checking connection

    std::optional<report_record> find(std::span<const std::uint8_t> id) {
        auto reader = report_reader::open(dir.db_path());
        BOOST_REQUIRE_MESSAGE(reader.ok(), reader.error_message());
        auto r = reader->find(id);
        BOOST_REQUIRE_MESSAGE(r.ok(), r.error_message());
        return *r;
    }
    std::int64_t count(const char* table_sql) { return scalar(db, table_sql); }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(report_writer_suite, fixture)

BOOST_AUTO_TEST_CASE(reports_read_back_identical) {
    std::vector<committed_event> hooked;
    report_writer w(dir.db_path(), 16, 64);
    w.set_on_committed([&](const std::vector<committed_event>& e) {
        hooked.insert(hooked.end(), e.begin(), e.end()); // writer thread; read after stop()
    });
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

    auto reader = report_reader::open(dir.db_path());
    BOOST_REQUIRE(reader.ok());
    BOOST_TEST(*reader->count() == 3);

    // Stored as NULL, not as empty blobs.
    BOOST_TEST(count("SELECT count(*) FROM reports WHERE nonce IS NULL AND ciphertext IS NULL "
                     "AND reply_box_pk IS NULL AND reply_mailbox_pk IS NULL") == 1);
    BOOST_TEST(count("SELECT count(*) FROM reports WHERE reply_box_pk IS NULL") == 2);
    BOOST_TEST(texts(db, "SELECT consent || '|' || desks FROM reports ORDER BY received_day, "
                         "consent") ==
               (std::vector<std::string>{"care,municipality,police|care,police",
                                         "care,municipality,police|care,police", "police|"}));

    // Per routed desk: status 'new' on the received day and one 'report' event;
    // nothing for the count-only report.
    BOOST_TEST(count("SELECT count(*) FROM envelopes") == 4);
    BOOST_TEST(count("SELECT count(*) FROM report_desks") == 4);
    BOOST_TEST(count("SELECT count(*) FROM report_desks WHERE status = 'new' AND "
                     "status_day = '2024-05-17'") == 4);
    BOOST_TEST(
        texts(db, "SELECT desk || ':' || kind FROM events ORDER BY seq") ==
        (std::vector<std::string>{"care:report", "police:report", "care:report", "police:report"}));
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 3);

    // The hook saw exactly the committed events rows, seq included.
    BOOST_REQUIRE_EQUAL(hooked.size(), 4u);
    auto rows = statement::prepare(db, "SELECT desk, report_id, seq FROM events ORDER BY seq");
    BOOST_REQUIRE(rows.ok());
    for (const auto& e : hooked) {
        auto row = rows->step();
        BOOST_REQUIRE(row.ok() && *row);
        BOOST_TEST(e.desk == rows->column_text(0));
        BOOST_TEST(e.report_id == rows->column_blob(1));
        BOOST_TEST(e.seq == rows->column_int64(2));
    }
    BOOST_TEST(hooked[0].report_id == with_reply.id);
    BOOST_TEST(hooked[2].report_id == without_reply.id);
}

BOOST_AUTO_TEST_CASE(concurrent_submits_commit_in_groups) {
    constexpr int threads = 8;
    constexpr int per_thread = 125;
    constexpr std::size_t total = threads * per_thread;
    outcomes out;
    std::atomic<std::int64_t> events_seen{0};
    report_writer w(dir.db_path(), 64, total);
    w.set_on_committed([&](const std::vector<committed_event>& e) {
        events_seen += static_cast<std::int64_t>(e.size());
    });
    BOOST_REQUIRE(w.start());

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
    w.stop();

    BOOST_TEST(accepted.load() == total);
    BOOST_TEST(out.size() == total);
    BOOST_TEST(out.count(write_outcome::committed) == total);
    const writer_stats s = w.stats();
    BOOST_TEST(s.committed == total);
    BOOST_TEST(s.failed == 0u);
    BOOST_TEST(s.batches >= total / 64);
    BOOST_TEST(s.batches < total); // grouped: fewer commits than requests
    BOOST_TEST_MESSAGE("1000 reports in " << s.batches << " commits");
    BOOST_TEST(out.threads.size() == 1u); // every completion on the writer thread
    BOOST_TEST(out.threads.count(std::this_thread::get_id()) == 0u);

    BOOST_TEST(count("SELECT count(*) FROM reports") == static_cast<std::int64_t>(total));
    BOOST_TEST(count("SELECT count(*) FROM events") == static_cast<std::int64_t>(2 * total));
    BOOST_TEST(count("SELECT count(DISTINCT seq) FROM events") ==
               static_cast<std::int64_t>(2 * total));
    BOOST_TEST(events_seen.load() == static_cast<std::int64_t>(2 * total));
    BOOST_TEST((find(routed_report(777, false).id) == std::optional(routed_report(777, false))));
}

BOOST_AUTO_TEST_CASE(reused_pow_stores_nothing) {
    report_writer w(dir.db_path(), 16, 64);
    BOOST_REQUIRE(w.start());
    const auto first = routed_report(10, true);
    const auto second = routed_report(11, true);
    BOOST_TEST(to_string(submit_and_wait(w, request_for(first, 7))) == "committed");
    BOOST_TEST(to_string(submit_and_wait(w, request_for(second, 7))) == "pow_reused");
    w.stop();
    BOOST_TEST(find(first.id).has_value());
    BOOST_TEST(!find(second.id).has_value());
    BOOST_TEST(count("SELECT count(*) FROM reports") == 1);
    BOOST_TEST(count("SELECT count(*) FROM envelopes") == 2);
    BOOST_TEST(count("SELECT count(*) FROM report_desks") == 2);
    BOOST_TEST(count("SELECT count(*) FROM events") == 2);
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 1);
    BOOST_TEST(w.stats().pow_reused == 1u);
}

// Requests queued before start() land in one batch: a reuse or a refused report
// inside a batch undoes only that request.
BOOST_AUTO_TEST_CASE(one_bad_request_does_not_spoil_its_batch) {
    outcomes out;
    std::vector<write_outcome> in_order(4);
    report_writer w(dir.db_path(), 16, 64);
    auto bad = routed_report(22, false);
    bad.id.pop_back(); // 15 bytes: the schema's CHECK refuses it
    (void)w.submit(request_for(routed_report(20, false), 1),
                   [&](write_outcome o) { in_order[0] = o; });
    (void)w.submit(request_for(routed_report(21, false), 1),
                   [&](write_outcome o) { in_order[1] = o; });
    (void)w.submit(request_for(bad, 2), [&](write_outcome o) { in_order[2] = o; });
    (void)w.submit(request_for(count_only_report(23), 3),
                   [&](write_outcome o) { in_order[3] = o; });
    BOOST_TEST(w.pending() == 4u);
    BOOST_REQUIRE(w.start());
    w.stop();

    BOOST_TEST(to_string(in_order[0]) == "committed");
    BOOST_TEST(to_string(in_order[1]) == "pow_reused");
    BOOST_TEST(to_string(in_order[2]) == "failed");
    BOOST_TEST(to_string(in_order[3]) == "committed");
    BOOST_TEST(w.stats().batches == 1u);
    BOOST_TEST(count("SELECT count(*) FROM reports") == 2);
    BOOST_TEST(count("SELECT count(*) FROM events") == 2);
    // The failed request's token was not spent: its savepoint was rolled back.
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 2);
    BOOST_TEST(submit_and_wait(w, request_for(routed_report(24, false), 9)) ==
               write_outcome::busy); // stopped
}

BOOST_AUTO_TEST_CASE(full_queue_answers_busy_at_once) {
    constexpr std::size_t max_pending = 4;
    report_writer w(dir.db_path(), 2, max_pending);
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
    BOOST_TEST(w.pending() == max_pending);

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
    BOOST_TEST(w.stats().busy == 1u);
    BOOST_TEST(!find(refused.id).has_value());
    BOOST_TEST(count("SELECT count(*) FROM reports") == static_cast<std::int64_t>(max_pending + 1));
}

BOOST_AUTO_TEST_CASE(stop_drains_every_queued_request) {
    constexpr std::uint32_t n = 300;
    outcomes out;
    {
        report_writer w(dir.db_path(), 8, n);
        BOOST_REQUIRE(w.start());
        for (std::uint32_t i = 0; i < n; ++i) {
            BOOST_REQUIRE(
                w.submit(request_for(routed_report(1000 + i, false), i), out.completion()));
        }
        w.stop(); // returns only when all are done
        BOOST_TEST(out.count(write_outcome::committed) == n);
        BOOST_TEST(w.pending() == 0u);
        w.stop(); // idempotent
    }
    BOOST_TEST(count("SELECT count(*) FROM reports") == static_cast<std::int64_t>(n));

    // The destructor drains too.
    outcomes more;
    {
        report_writer w(dir.db_path(), 8, n);
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
    report_writer w(dir.db_path(), 8, 8);
    BOOST_REQUIRE(w.submit(request_for(routed_report(50, false), 50), out.completion()));
    w.stop();
    BOOST_TEST(out.count(write_outcome::failed) == 1u);
    BOOST_TEST(!w.start().ok());
    BOOST_TEST(count("SELECT count(*) FROM reports") == 0);
}

BOOST_AUTO_TEST_CASE(unmigrated_database_is_refused) {
    temp_dir other;
    report_writer w(other.db_path(), 8, 8);
    auto s = w.start();
    BOOST_TEST(!s.ok());
    BOOST_TEST(s.error_message().find("run the migrations first") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(expired_pow_tokens_are_pruned_once_a_minute) {
    std::atomic<std::int64_t> now{1'000'000};
    report_writer w(dir.db_path(), 8, 8, [&] { return now.load(); });
    BOOST_REQUIRE(w.start());

    // First batch prunes (nothing expired yet).
    BOOST_TEST(submit_and_wait(w, request_for(routed_report(60, false), 60, 1'000'030)) ==
               write_outcome::committed);
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 1);

    // Expired, but less than a minute since the last prune: kept.
    now = 1'000'040;
    BOOST_TEST(submit_and_wait(w, request_for(routed_report(61, false), 61, 1'000'600)) ==
               write_outcome::committed);
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 2);

    // A minute later: the expired token goes, the live ones stay.
    now = 1'000'060;
    BOOST_TEST(submit_and_wait(w, request_for(routed_report(62, false), 62, 1'000'600)) ==
               write_outcome::committed);
    BOOST_TEST(count("SELECT count(*) FROM spent_pow") == 2);
    BOOST_TEST(count("SELECT min(expires) FROM spent_pow") == 1'000'600);
    BOOST_TEST(count("SELECT count(*) FROM reports") == 3); // pruning touches only spent_pow
    w.stop();
}

BOOST_AUTO_TEST_SUITE_END()
