// signaal-admin desk add | list against a config in a temp dir. The operator
// registers a desk and names its holders; no key is ever made here.
#include "admin_support.hpp"

#include "crypto/base64url.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/database.hpp"
#include "server/store/desk_registry.hpp"
#include "server/store/staff_records.hpp"

#include <boost/test/unit_test.hpp>

namespace fs = std::filesystem;
using namespace signaal;
using namespace signaal::admin::test;

namespace {

std::vector<std::uint8_t> filled(std::size_t n, std::uint8_t v) {
    return std::vector<std::uint8_t>(n, v);
}

/// An instance with the default desks (care, municipality, police), data in
/// ./data, and staff: ann and ben caseworkers of care, cas of police, cor a
/// coordinator, dan a disabled caseworker of care.
struct instance {
    temp_dir tmp;
    fs::path config = tmp.path() / "signaal.toml";
    fs::path data = tmp.path() / "data";

    explicit instance(bool with_staff = true) {
        write_file(config, "[server]\ndata_dir = \"data\"\n");
        if (!with_staff) {
            return;
        }
        store::prepare_data_dir(data);
        auto db = open();
        store::staff_records staff(db);
        std::uint8_t seed = 1;
        for (const auto& [id, role, desk] :
             std::vector<std::tuple<std::string, std::string, std::string>>{
                 {"ann", "caseworker", "care"},
                 {"ben", "caseworker", "care"},
                 {"cas", "caseworker", "police"},
                 {"cor", "coordinator", ""},
                 {"dan", "caseworker", "care"}}) {
            store::staff_record r{id,
                                  role,
                                  desk.empty() ? std::vector<std::string>{}
                                               : std::vector<std::string>{desk},
                                  filled(32, seed),
                                  filled(32, seed),
                                  false,
                                  "2026-11-01"};
            ++seed;
            BOOST_REQUIRE(staff.add(r));
        }
        BOOST_REQUIRE(staff.disable("dan"));
    }

    [[nodiscard]] store::database open() const {
        auto db = store::database::open(store::migrated_database(data),
                                        store::open_mode::read_write_create);
        BOOST_REQUIRE(db);
        return std::move(*db);
    }
    [[nodiscard]] run_result admin(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--config", config.string()});
        return run_admin(args);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(desk_commands)

BOOST_AUTO_TEST_CASE(add_registers_the_desk_and_names_its_holders_but_makes_no_key) {
    instance in;
    const auto r = in.admin({"desk", "add", "care", "--holder", "ben", "--holder", "ann"});
    BOOST_TEST_INFO(r.err);
    BOOST_REQUIRE_EQUAL(r.exit_code, 0);
    BOOST_CHECK(r.err.empty());
    BOOST_CHECK(r.out.find("named holders: ann, ben") != std::string::npos);
    BOOST_CHECK(r.out.find("signaal-inbox desk init --desk care") != std::string::npos);
    BOOST_CHECK(desk_keys_in(in.data / "signaal.db").empty()); // no key on the host
    BOOST_CHECK((names_in(in.tmp.path()) == std::vector<std::string>{"data", "signaal.toml"}));

    auto db = in.open();
    auto state = store::desk_registry(db).state("care");
    BOOST_REQUIRE(state);
    BOOST_CHECK(state->registered);
    BOOST_CHECK((state->named_holders == std::vector<std::string>{"ann", "ben"}));
    BOOST_CHECK(!store::desk_registry(db).state("police")->registered);

    // Again, naming one more: the holders add up.
    BOOST_REQUIRE(store::staff_records(db).add(
        {"eva", "caseworker", {"care"}, filled(32, 9), filled(32, 9), false, "2026-11-01"}));
    const auto again = in.admin({"desk", "add", "care", "--holder", "eva"});
    BOOST_REQUIRE_EQUAL(again.exit_code, 0);
    BOOST_CHECK(again.out.find("named holders: ann, ben, eva") != std::string::npos);

    const auto list = in.admin({"desk", "list"});
    BOOST_REQUIRE_EQUAL(list.exit_code, 0);
    BOOST_CHECK(list.out.find("care: named holders: ann, ben, eva; no key yet") !=
                std::string::npos);
    BOOST_CHECK(list.out.find("police: not registered") != std::string::npos);
    BOOST_CHECK(list.out.find("municipality: not registered") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_input_changes_nothing) {
    instance in;
    const auto files = snapshot(in.tmp.path());
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"desk", "add", "care"}, "--holder"},
        {{"desk", "add", "zorg", "--holder", "ann"}, "not defined"},
        {{"desk", "add", "Care", "--holder", "ann"}, "bad desk id"},
        {{"desk", "add", "reporter", "--holder", "ann"}, "reserved"},
        {{"desk", "add", "care", "--holder", "nobody"}, "no staff member"},
        {{"desk", "add", "care", "--holder", "cas"}, "not a caseworker of care"},
        {{"desk", "add", "care", "--holder", "cor"}, "not a caseworker of care"},
        {{"desk", "add", "care", "--holder", "dan"}, "disabled"},
        {{"desk", "add", "care", "--holder", "ann", "--holder", "cas"}, "cas"},
        {{"desk", "add", "care", "--holder", "ann", "--out", "k.json"}, "--out"},
        {{"desk", "add", "care", "police", "--holder", "ann"}, "one desk id"},
        {{"desk", "rotate", "care"}, "rotate"},
    };
    for (const auto& [args, mentions] : cases) {
        BOOST_TEST_CONTEXT(mentions) {
            const auto r = in.admin(args);
            BOOST_CHECK_EQUAL(r.exit_code, 2);
            BOOST_CHECK_MESSAGE(one_line_error(r.err), r.err);
            BOOST_CHECK_MESSAGE(r.err.find(mentions) != std::string::npos, r.err);
            BOOST_CHECK(r.out.empty());
            BOOST_CHECK(snapshot(in.tmp.path()) == files);
        }
    }
}

BOOST_AUTO_TEST_CASE(without_a_database_there_is_no_holder_and_nothing_is_made) {
    instance in(false);
    const auto r = in.admin({"desk", "add", "care", "--holder", "ann"});
    BOOST_CHECK_EQUAL(r.exit_code, 1);
    BOOST_CHECK_MESSAGE(one_line_error(r.err), r.err);
    BOOST_CHECK(r.err.find("staff add") != std::string::npos);
    BOOST_CHECK(!fs::exists(in.data));
    const auto list = in.admin({"desk", "list"});
    BOOST_CHECK_EQUAL(list.exit_code, 0);
    BOOST_CHECK(list.out.empty());
    BOOST_CHECK(!fs::exists(in.data)); // listing creates nothing
}

BOOST_AUTO_TEST_CASE(list_shows_who_holds_each_key_and_a_rotation_due) {
    instance in;
    {
        auto db = in.open();
        store::desk_registry registry(db);
        BOOST_REQUIRE(registry.register_desk("care", {"ann"}));
        BOOST_REQUIRE(registry.add_key("care", filled(8, 1), filled(32, 1), "2026-11-02", 0));
        BOOST_REQUIRE(registry.add_key("care", filled(8, 2), filled(32, 2), "2026-11-03", 0));
        BOOST_REQUIRE(registry.add_key("care", filled(8, 3), filled(32, 3), "2026-11-04",
                                       now_unix() + 2 * 86400));
        for (const std::string to : {"ann", "ben"}) {
            BOOST_REQUIRE(registry.add_grant(
                {"care", filled(8, 3), to, filled(80, 1), "ann", filled(64, 1)}));
        }
    }
    auto list = in.admin({"desk", "list"});
    BOOST_REQUIRE_EQUAL(list.exit_code, 0);
    BOOST_CHECK_MESSAGE(
        list.out.find("care: named holders: ann; current key held by: ann, ben\n") !=
            std::string::npos,
        list.out);
    BOOST_CHECK(list.out.find("  " + crypto::base64url_encode(filled(8, 1)) + "  retired\n") !=
                std::string::npos);
    BOOST_CHECK(list.out.find("  " + crypto::base64url_encode(filled(8, 2)) +
                              "  accepted until ") != std::string::npos);
    BOOST_CHECK(list.out.find("  " + crypto::base64url_encode(filled(8, 3)) + "  current\n") !=
                std::string::npos);

    {
        auto db = in.open();
        BOOST_REQUIRE(store::staff_records(db).disable("ben"));
    }
    list = in.admin({"desk", "list"});
    BOOST_CHECK_MESSAGE(
        list.out.find("current key held by: ann; rotation due") != std::string::npos, list.out);
}

BOOST_AUTO_TEST_SUITE_END()
