// signaal-admin purge [--before DAY]: purges reports past retention_days (or
// received before DAY) and keeps what the quarterly numbers count; bad input
// is refused and changes nothing.
#include "admin_support.hpp"

#include "crypto/base64url.hpp"
#include "crypto/random.hpp"
#include "server/common/clock.hpp"
#include "server/store/database.hpp"
#include "server/store/day_number.hpp"
#include "server/store/statement.hpp"

#include <boost/test/unit_test.hpp>

namespace fs = std::filesystem;
using namespace signaal;
using namespace signaal::admin::test;

namespace {

std::int64_t today() {
    return unix_day(now_unix());
}

struct instance {
    temp_dir tmp;
    fs::path config = tmp.path() / "signaal.toml";
    fs::path data = tmp.path() / "data";
    fs::path db_file = data / "signaal.db";

    explicit instance(const std::string& more_toml = {}) {
        write_file(config, "[server]\ndata_dir = \"data\"\n" + more_toml);
    }

    [[nodiscard]] run_result admin(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--config", config.string()});
        return run_admin(args);
    }

    /// Makes the database (as `staff add` does) and one report per day given,
    /// routed to care with text, an envelope, reply keys and an event. Its no.
    void make_reports(const std::vector<std::int64_t>& days) {
        const auto key = [] { return crypto::base64url_encode(crypto::random_bytes(32)); };
        const auto added = admin({"staff", "add", "ann", "--role", "caseworker", "--desk", "care",
                                  "--sign-pk", key(), "--box-pk", key()});
        BOOST_REQUIRE_MESSAGE(added.exit_code == 0, added.err);
        auto db = store::database::open(db_file, store::open_mode::read_write_create).value();
        std::int64_t no = 0;
        for (const auto day : days) {
            ++no;
            auto r = store::statement::prepare(
                         db, "INSERT INTO reports (no, id, received_day, role, category, consent, "
                             "desks, nonce, ciphertext, reply_box_pk, reply_mailbox_pk) VALUES "
                             "(?1, ?2, ?3, 'sex_worker', 'robbery', 'care,police', 'care', ?4, ?5, "
                             "?6, ?7)")
                         .value();
            r.bind(1, no);
            r.bind(2, crypto::random_bytes(16));
            r.bind(3, day);
            r.bind(4, crypto::random_bytes(24));
            r.bind(5, crypto::random_bytes(1024));
            r.bind(6, crypto::random_bytes(32));
            r.bind(7, crypto::random_bytes(32));
            BOOST_REQUIRE(r.run());
            for (const char* sql :
                 {"INSERT INTO envelopes VALUES (?1, 'care', randomblob(8), randomblob(80))",
                  "INSERT INTO report_desks (report_no, desk, status, status_day, ack_day) "
                  "VALUES (?1, 'care', 'in_progress', ?2, ?2)",
                  "INSERT INTO events VALUES ('care', ?1 * 2 - 1, ?1, 'report')",
                  "INSERT INTO events VALUES ('care', ?1 * 2, ?1, 'status')"}) {
                auto st = store::statement::prepare(db, sql).value();
                st.bind(1, no);
                if (std::string_view(sql).find("?2") != std::string_view::npos) {
                    st.bind(2, day);
                }
                BOOST_REQUIRE(st.run());
            }
        }
    }

    [[nodiscard]] std::int64_t count(const std::string& sql) const {
        auto db = store::database::open(db_file, store::open_mode::read_only).value();
        auto st = store::statement::prepare(db, sql).value();
        BOOST_REQUIRE(st.step().value());
        return st.column_int64(0);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(purge_command)

BOOST_AUTO_TEST_CASE(purge_removes_what_is_past_retention_and_keeps_the_counts) {
    instance in;
    const auto t = today();
    // Days: two past 180 days, one on the boundary (kept), one recent.
    in.make_reports({t - 400, t - 181, t - 180, t});
    const auto purged = in.admin({"purge"});
    BOOST_TEST_INFO(purged.err);
    BOOST_REQUIRE_EQUAL(purged.exit_code, 0);
    BOOST_TEST(purged.out.find("purged 2 reports received before " + store::day_text(t - 180)) ==
               0u);
    BOOST_TEST(in.count("SELECT count(*) FROM reports WHERE ciphertext IS NULL AND nonce IS NULL "
                        "AND reply_box_pk IS NULL AND reply_mailbox_pk IS NULL") == 2);
    BOOST_TEST(in.count("SELECT count(*) FROM reports WHERE no IN (1, 2) AND ciphertext IS NULL "
                        "AND consent = 'care'") == 2);
    BOOST_TEST(in.count("SELECT count(*) FROM envelopes") == 2);
    BOOST_TEST(in.count("SELECT min(report_no) FROM envelopes") == 3);
    // What §8 counts stays: every report and status row, the acknowledgement days.
    BOOST_TEST(in.count("SELECT count(*) FROM reports") == 4);
    BOOST_TEST(in.count("SELECT count(*) FROM report_desks WHERE ack_day IS NOT NULL") == 4);
    BOOST_TEST(in.count("SELECT count(*) FROM report_desks WHERE report_no <= 2 AND "
                        "status = 'acknowledged'") == 2);
    // The events of the purged reports are gone; the kept reports' events stay.
    BOOST_TEST(in.count("SELECT count(*) FROM events WHERE report_no <= 2") == 0);
    BOOST_TEST(in.count("SELECT count(*) FROM events") == 4);
    const auto wal = in.data / "signaal.db-wal"; // truncated after (or gone with the connection)
    BOOST_TEST((!fs::exists(wal) || fs::file_size(wal) == 0u));

    const auto again = in.admin({"purge"});
    BOOST_REQUIRE_EQUAL(again.exit_code, 0);
    BOOST_TEST(again.out.find("purged 0 reports") == 0u);
}

BOOST_AUTO_TEST_CASE(before_a_day_purges_up_to_that_day_and_retention_days_sets_the_default) {
    instance in("[reports]\nretention_days = 30\n");
    const auto t = today();
    in.make_reports({t - 100, t - 31, t - 20, t - 1, t});
    auto purged = in.admin({"purge"});
    BOOST_REQUIRE_EQUAL(purged.exit_code, 0);
    BOOST_TEST(purged.out.find("purged 2 reports received before " + store::day_text(t - 30)) ==
               0u);
    purged = in.admin({"purge", "--before", store::day_text(t)});
    BOOST_REQUIRE_EQUAL(purged.exit_code, 0);
    BOOST_TEST(purged.out.find("purged 2 reports received before " + store::day_text(t)) == 0u);
    BOOST_TEST(in.count("SELECT count(*) FROM reports WHERE ciphertext IS NOT NULL") == 1);
    // The desk's newest event is today's report's, so every purged report's events went.
    BOOST_TEST(in.count("SELECT count(*) FROM events WHERE report_no <= 4") == 0);
}

BOOST_AUTO_TEST_CASE(a_malformed_or_future_day_and_bad_config_change_nothing) {
    instance in;
    const auto t = today();
    in.make_reports({t - 400, t});
    const auto before = snapshot(in.tmp.path());
    const std::vector<std::string> bad_days{
        "yesterday", "2026-13-01", "2026-02-30",           "26-01-01",
        "",          "2026-1-1",   store::day_text(t + 1), store::day_text(t + 400)};
    for (const auto& day : bad_days) {
        BOOST_TEST_CONTEXT(day) {
            const auto r = in.admin({"purge", "--before", day});
            BOOST_CHECK_EQUAL(r.exit_code, 2);
            BOOST_CHECK_MESSAGE(one_line_error(r.err), r.err);
            BOOST_CHECK(r.err.find("--before") != std::string::npos);
            BOOST_CHECK(r.out.empty());
        }
    }
    BOOST_TEST(in.admin({"purge", "--before", store::day_text(t + 1)}).err.find("future") !=
               std::string::npos);
    for (const std::string bad : {"0", "-5", "1.5", "\"180\"", "100000"}) {
        BOOST_TEST_CONTEXT(bad) {
            write_file(in.config,
                       "[server]\ndata_dir = \"data\"\n[reports]\nretention_days = " + bad + "\n");
            const auto r = in.admin({"purge"});
            BOOST_CHECK_EQUAL(r.exit_code, 2);
            BOOST_CHECK(r.err.find("reports.retention_days") != std::string::npos);
        }
    }
    write_file(in.config, "[server]\ndata_dir = \"data\"\n");
    BOOST_TEST(snapshot(in.tmp.path()) == before);

    instance empty;
    const auto r = empty.admin({"purge"});
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(r.err.find("no database") != std::string::npos);
    BOOST_TEST(!fs::exists(empty.data));
}

BOOST_AUTO_TEST_SUITE_END()
