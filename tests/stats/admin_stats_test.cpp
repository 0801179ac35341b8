// signaal-admin stats, run as a program against a real instance folder:
// freezes and prints the answer; bad input is a plain error that changes nothing.
#include "server/stats/render.hpp"
#include "server/stats/stats_answer.hpp"
#include "server/store/data_dir.hpp"
#include "tests/admin/admin_support.hpp"
#include "tests/stats/known_quarter.hpp"
#include "tests/store/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

namespace signaal::stats {
namespace {

namespace fs = std::filesystem;
using admin::test::run_admin;

/// An instance folder with the default config, k = 5, and the known quarter stored.
struct instance {
    admin::test::temp_dir tmp;
    fs::path config = tmp.path() / "signaal.toml";
    fs::path data = tmp.path() / "data";

    instance() {
        admin::test::write_file(config, "[server]\ndata_dir = \"data\"\n");
        store::prepare_data_dir(data);
        auto db = store::test::open_migrated(store::database_file(data));
        test::insert_known_quarter(db);
    }

    [[nodiscard]] admin::test::run_result stats(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--config", config.string(), "stats"});
        return run_admin(args);
    }

    /// The answer as stored now, read without the command.
    [[nodiscard]] stats_answer stored(const char* from, const char* to) const {
        auto db = store::database::open(store::database_file(data), store::open_mode::read_only);
        BOOST_REQUIRE(db.has_value());
        const auto range = quarter_range(*parse_quarter(from), *parse_quarter(to));
        // 2100 is never due: every quarter before it is.
        auto a = read_answer(*db, *range, first_day(quarter{2100, 1}) - 1, 5);
        BOOST_REQUIRE_MESSAGE(a.has_value(), a.error().message);
        return *a;
    }
};

BOOST_AUTO_TEST_SUITE(admin_stats)

BOOST_AUTO_TEST_CASE(freezes_and_prints_json_and_csv) {
    instance in;
    const auto r = in.stats({"--from", "2026-Q1", "--to", "2026-Q1"});
    BOOST_TEST_INFO(r.err);
    BOOST_REQUIRE_EQUAL(r.exit_code, 0);
    BOOST_TEST(r.err.empty());
    BOOST_TEST(r.out == render_json(in.stored("2026-Q1", "2026-Q1")) + "\n");
    // The default config's 17 categories all have a cell; "other" occurs.
    BOOST_TEST(r.out.find(R"("n":23,"tables":{"category":{"blackmail":"<5",)") !=
               std::string::npos);
    BOOST_TEST(r.out.find(R"("care":{"routed":17,"days_to_ack":{"0-7":9,)") != std::string::npos);

    const auto csv = in.stats({"--from", "2026-Q1", "--to", "2026-Q1", "--csv"});
    BOOST_REQUIRE_EQUAL(csv.exit_code, 0);
    BOOST_TEST(csv.out == render_csv(in.stored("2026-Q1", "2026-Q1")));
    BOOST_TEST(csv.out.find("2026-Q1,routed,care,all,17\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(quarters_not_due_are_only_named) {
    instance in;
    const auto r = in.stats({"--from=2099-Q4", "--to=2100-Q2"});
    BOOST_REQUIRE_EQUAL(r.exit_code, 0);
    BOOST_TEST(r.out == R"({"k":5,"quarters":[],"not_yet":["2099-Q4","2100-Q1","2100-Q2"]})"
                        "\n");
}

BOOST_AUTO_TEST_CASE(bad_input_is_a_plain_error_and_changes_nothing) {
    instance in;
    const auto before = admin::test::snapshot(in.tmp.path());
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"--from", "2026-Q5", "--to", "2026-Q1"}, "--from: a quarter's number is 1, 2, 3 or 4"},
        {{"--from", "2026-Q1", "--to", "2026Q2"}, "--to: a quarter is written YYYY-Qn"},
        {{"--from", "2026-Q2", "--to", "2026-Q1"}, "the range ends before it starts"},
        {{"--from", "2000-Q1", "--to", "2026-Q1"}, "at most 100 quarters"},
        {{"--from", "2026-Q1"}, "stats needs --from YYYY-Qn and --to YYYY-Qn"},
        {{"--from", "2026-Q1", "--to", "2026-Q1", "--csv=yes"}, "--csv takes no value"},
        {{"--from", "2026-Q1", "--to", "2026-Q1", "--role", "x"}, "stats does not take --role"},
        {{"--from", "2026-Q1", "--to", "2026-Q1", "extra"}, "stats takes no operands"},
    };
    for (const auto& [args, mentions] : cases) {
        BOOST_TEST_CONTEXT(mentions) {
            const auto r = in.stats(args);
            BOOST_TEST(r.exit_code == 2);
            BOOST_TEST(admin::test::one_line_error(r.err), r.err);
            BOOST_TEST(r.err.find(mentions) != std::string::npos, r.err);
            BOOST_TEST(r.out.empty());
        }
    }
    const auto no_config = run_admin({"stats", "--from", "2026-Q1", "--to", "2026-Q1"});
    BOOST_TEST(no_config.exit_code == 2);
    BOOST_TEST(no_config.err.find("needs --config") != std::string::npos);
    BOOST_TEST((admin::test::snapshot(in.tmp.path()) == before));
}

BOOST_AUTO_TEST_CASE(help_names_the_options) {
    const auto r = run_admin({"stats", "--help"});
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.out.find("stats --from YYYY-Qn --to YYYY-Qn [--csv]") != std::string::npos);
    BOOST_TEST(run_admin({"--help"}).out.find("stats --from") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace signaal::stats
