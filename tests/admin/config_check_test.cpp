// signaal-admin config check: a summary for a good file, the key named for a bad one.
#include "admin_support.hpp"

#include "server/store/data_dir.hpp"
#include "server/store/database.hpp"
#include "server/store/desk_keys.hpp"

#include <boost/test/unit_test.hpp>

namespace fs = std::filesystem;
using namespace signaal::admin::test;

BOOST_AUTO_TEST_SUITE(config_check)

BOOST_AUTO_TEST_CASE(summarises_a_good_config_and_creates_nothing) {
    temp_dir tmp;
    write_file(tmp.path() / "signaal.toml",
               "[instance]\nname = \"Test instance\"\n[server]\nlisten = \"[::1]:9443\"\ndata_dir "
               "= \"data\"\n");
    const auto r =
        run_admin({"--config", (tmp.path() / "signaal.toml").string(), "config", "check"});
    BOOST_TEST_INFO(r.err);
    BOOST_REQUIRE_EQUAL(r.exit_code, 0);
    BOOST_CHECK(r.out.find("instance: Test instance\n") != std::string::npos);
    BOOST_CHECK(r.out.find("listen: [::1]:9443\n") != std::string::npos);
    BOOST_CHECK(r.out.find("data dir: " + (tmp.path() / "data").string()) != std::string::npos);
    BOOST_CHECK(r.out.find("not created yet") != std::string::npos);
    BOOST_CHECK(r.out.find("  care\n") != std::string::npos);
    BOOST_CHECK(r.out.find("categories: 17\n") != std::string::npos);
    BOOST_CHECK((names_in(tmp.path()) == std::vector<std::string>{"signaal.toml"}));
}

BOOST_AUTO_TEST_CASE(reports_which_desks_have_a_current_key) {
    temp_dir tmp;
    const auto config = (tmp.path() / "signaal.toml").string();
    write_file(tmp.path() / "signaal.toml", "[server]\ndata_dir = \"data\"\n");
    {
        // A key as a holder's upload leaves it (the server stores it; no admin command does).
        signaal::store::prepare_data_dir(tmp.path() / "data");
        auto db =
            signaal::store::database::open(signaal::store::migrated_database(tmp.path() / "data"),
                                           signaal::store::open_mode::read_write_create);
        BOOST_REQUIRE(db);
        BOOST_REQUIRE(signaal::store::desk_keys(*db).add_current(
            "care", std::vector<std::uint8_t>(8, 1), std::vector<std::uint8_t>(32, 1),
            "2026-11-01"));
    }
    const auto r = run_admin({"--config", config, "config", "check"});
    BOOST_REQUIRE_EQUAL(r.exit_code, 0);
    BOOST_CHECK(r.out.find("  care: current key\n") != std::string::npos);
    BOOST_CHECK(r.out.find("  police: no current key") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_bad_config_names_the_key) {
    temp_dir tmp;
    const auto file = tmp.path() / "bad.toml";
    const std::vector<std::pair<std::string, std::string>> cases{
        {"[reports]\npow_difficulty = 99\n", "pow_difficulty"},
        {"[server]\nlisen = \"127.0.0.1:8443\"\n", "lisen"},
        {"[server]\nlisten = \"nowhere\"\n", "listen"},
        {"[instance]\nname = \n", "line 2"},
    };
    for (const auto& [text, key] : cases) {
        BOOST_TEST_CONTEXT(key) {
            write_file(file, text);
            const auto r = run_admin({"--config", file.string(), "config", "check"});
            BOOST_CHECK_EQUAL(r.exit_code, 2);
            BOOST_CHECK_MESSAGE(one_line_error(r.err), r.err);
            BOOST_CHECK_MESSAGE(r.err.find(key) != std::string::npos, r.err);
            BOOST_CHECK(r.out.empty());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
