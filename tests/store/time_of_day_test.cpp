// PROTOCOL.md §1 and §5 promise only the UTC day of a report. This replays
// every state that the database file and its WAL hold during a run of
// submissions a second or more apart (the file, and each WAL prefix that ends
// on a commit frame, opened with SQLite), and checks that no stored number or
// text places a report within its day: no value is a unix time, a second or a
// minute of the day, no text looks like a time, and the same submissions made
// at other times of the same days leave exactly the same states.
#include "server/store/report_writer.hpp"
#include "tests/store/temp_dir.hpp"
#include "tests/store/wal_file.hpp"

#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <fstream>
#include <future>
#include <iterator>
#include <regex>
#include <set>
#include <string>
#include <vector>

using namespace signaal::store;
using signaal::store::test::temp_dir;
using signaal::store::test::wal_commit_ends;

namespace {

constexpr std::int64_t seconds_per_day = 86'400;
constexpr std::int64_t first_day = 20'420; // 2025-11-29

std::vector<std::uint8_t> bytes_of(std::size_t n, std::uint32_t seed) {
    std::vector<std::uint8_t> b(n);
    for (std::size_t i = 0; i < n; ++i) {
        b[i] = static_cast<std::uint8_t>((seed * 131u + i * 17u + (seed >> 8)) & 0xFFu);
    }
    b[0] = static_cast<std::uint8_t>(seed);
    return b;
}

// The n-th submission: routed reports to one or two desks, a count-only one,
// one with reply keys, and one that reuses a token (refused, stores nothing).
write_request submission(std::uint32_t n, std::int64_t unix_now) {
    write_request r;
    r.report.id = bytes_of(16, n + 1);
    r.report.received_day = signaal::utc_day(unix_now);
    r.report.role = "sex_worker";
    r.report.category = "violence";
    if (n % 4 == 2) {
        r.report.consent = {"police"};
        r.report.category = "health"; // police is not routed: count only
    } else {
        r.report.consent = {"care", "police"};
        r.report.desks = n % 4 == 1 ? std::vector<std::string>{"care"}
                                    : std::vector<std::string>{"care", "police"};
        r.report.nonce = bytes_of(24, n + 100);
        r.report.ciphertext = bytes_of(256 + 16, n + 200);
        for (const auto& desk : r.report.desks) {
            r.report.envelopes.push_back({desk, bytes_of(8, 7), bytes_of(80, n + 300)});
        }
    }
    if (n % 4 == 3) {
        r.report.reply_box_pk = bytes_of(32, n + 400);
        r.report.reply_mailbox_pk = bytes_of(32, n + 500);
    }
    r.pow_token_hash = bytes_of(32, n == 5 ? 1000 + 4 : 1000 + n); // 5 reuses 4's token
    return r;
}

// Seconds of the first day at which the submissions come, one schedule per run.
// From 1 s to hours apart; submission 6 comes the next day.
const std::vector<std::int64_t> early = {40'001, 40'002, 40'004, 40'060, 41'000, 41'001, 90'000};
const std::vector<std::int64_t> late = {50'117, 60'118, 70'300, 80'000, 86'000, 86'399, 160'000};

struct value_dump {
    std::vector<std::string> rows; // "table|v1|v2|..." with typed values, in table order
    std::vector<std::int64_t> integers;
    std::vector<std::string> texts;
};

// Every row of every table, opened with SQLite itself.
value_dump dump(const std::filesystem::path& db_path) {
    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) ==
                  SQLITE_OK);
    value_dump out;
    std::vector<std::string> tables;
    {
        sqlite3_stmt* st = nullptr;
        BOOST_REQUIRE(sqlite3_prepare_v2(db,
                                         "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                         "ORDER BY name",
                                         -1, &st, nullptr) == SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        }
        sqlite3_finalize(st);
    }
    tables.emplace_back("sqlite_schema");
    for (const auto& table : tables) {
        sqlite3_stmt* st = nullptr;
        // Table names come from the database's own schema, not from input.
        const std::string sql = "SELECT * FROM \"" + table + "\"";
        BOOST_REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            std::string row = table;
            for (int c = 0; c < sqlite3_column_count(st); ++c) {
                row += '|';
                switch (sqlite3_column_type(st, c)) {
                case SQLITE_INTEGER:
                    out.integers.push_back(sqlite3_column_int64(st, c));
                    row += "i" + std::to_string(out.integers.back());
                    break;
                case SQLITE_FLOAT:
                    out.integers.push_back(static_cast<std::int64_t>(sqlite3_column_double(st, c)));
                    row += "f" + std::to_string(sqlite3_column_double(st, c));
                    break;
                case SQLITE_TEXT:
                    out.texts.emplace_back(
                        reinterpret_cast<const char*>(sqlite3_column_text(st, c)));
                    row += "t" + out.texts.back();
                    break;
                case SQLITE_BLOB: {
                    const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(st, c));
                    row += "b" + std::string(p, p + sqlite3_column_bytes(st, c));
                    break;
                }
                default:
                    row += "n";
                }
            }
            out.rows.push_back(std::move(row));
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
}

std::vector<char> read_all(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_all(const std::filesystem::path& p, const char* data, std::size_t size) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(data, static_cast<std::streamsize>(size));
    BOOST_REQUIRE(out.good());
}

struct run_result {
    std::vector<value_dump> states; // the file alone, then one per commit
    std::vector<std::int64_t> times;
};

// Submits one report at a time at the schedule's seconds, moving the clock
// between them, then replays every state the file and its WAL hold.
run_result run(const std::vector<std::int64_t>& schedule) {
    temp_dir dir;
    (void)test::open_migrated(dir.db_path());
    signaal::manual_clock clock(first_day * seconds_per_day + schedule.front());
    writer_options options;
    options.prune_interval = std::chrono::hours(24); // no checkpoint during the run
    options.checkpoint_interval = std::chrono::hours(24);
    report_writer writer(dir.db_path(), options, clock);
    BOOST_REQUIRE(writer.start()); // checkpoints: the file holds the migrated schema

    run_result result;
    for (std::uint32_t n = 0; n < schedule.size(); ++n) {
        const std::int64_t now = first_day * seconds_per_day + schedule[n];
        clock.set(now);
        result.times.push_back(now);
        std::promise<write_outcome> done;
        auto outcome = done.get_future();
        (void)writer.submit(submission(n, now), [&done](write_outcome o) { done.set_value(o); });
        BOOST_TEST(to_string(outcome.get()) == (n == 5 ? "pow_reused" : "committed"));
    }

    // The writer is still running: copy what is on disk now.
    const auto file = read_all(dir.db_path());
    const auto wal = read_all(dir.path() / "signaal.db-wal");
    std::vector<std::size_t> ends{32}; // a WAL with no frame: the file alone
    for (const auto e : wal_commit_ends(dir.path() / "signaal.db-wal")) {
        ends.push_back(e);
    }
    for (std::size_t k = 0; k < ends.size(); ++k) {
        const auto copy = dir.path() / ("state-" + std::to_string(k));
        std::filesystem::create_directory(copy);
        write_all(copy / "signaal.db", file.data(), file.size());
        write_all(copy / "signaal.db-wal", wal.data(), std::min(ends[k], wal.size()));
        result.states.push_back(dump(copy / "signaal.db"));
    }
    writer.stop();
    return result;
}

} // namespace

BOOST_AUTO_TEST_SUITE(time_of_day)

BOOST_AUTO_TEST_CASE(no_state_of_the_database_places_a_report_within_its_day) {
    const auto a = run(early);
    const auto b = run(late);

    // The file, then one state per commit: 6 reports (one was refused).
    BOOST_REQUIRE_EQUAL(a.states.size(), 7u);
    BOOST_REQUIRE_EQUAL(b.states.size(), a.states.size());
    BOOST_TEST(a.states.back().rows.size() > a.states.front().rows.size()); // control

    // Whatever was stored, a run at other times of the same days stored the same.
    for (std::size_t k = 0; k < a.states.size(); ++k) {
        BOOST_TEST_CONTEXT("state " << k) {
            BOOST_TEST(a.states[k].rows == b.states[k].rows);
        }
    }

    // And nothing stored is a time finer than a day.
    const std::regex clock_text(R"(\d{1,2}:\d{2}|T\d{2})");
    for (const auto* r : {&a, &b}) {
        std::set<std::int64_t> forbidden;
        for (const auto t : r->times) {
            const std::int64_t second_of_day = t % seconds_per_day;
            forbidden.insert(second_of_day);
            forbidden.insert(second_of_day / 60); // minute of the day
            forbidden.insert(second_of_day / 3600 * 100 + second_of_day / 60 % 60); // HHMM
        }
        const std::int64_t lowest = (first_day - 2) * seconds_per_day;
        const std::int64_t highest = (first_day + 4) * seconds_per_day;
        for (std::size_t k = 0; k < r->states.size(); ++k) {
            BOOST_TEST_CONTEXT("state " << k) {
                for (const auto v : r->states[k].integers) {
                    BOOST_TEST(!(v >= lowest && v < highest)); // a unix time near the run
                    BOOST_TEST(!(v >= lowest * 1000 && v < highest * 1000)); // in milliseconds
                    BOOST_TEST(forbidden.count(v) == 0u);
                }
                for (const auto& t : r->states[k].texts) {
                    if (t.rfind("CREATE ", 0) == 0) {
                        continue; // the schema's own SQL
                    }
                    BOOST_TEST(!std::regex_search(t, clock_text), t);
                }
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
