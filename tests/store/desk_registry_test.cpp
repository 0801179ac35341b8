// store::desk_registry against a real database: who holds a desk's key follows
// from its grants and the staff records; a leaver is what prompts a rotation.
#include "server/store/desk_keys.hpp"
#include "server/store/desk_registry.hpp"
#include "server/store/migrations.hpp"
#include "server/store/staff_records.hpp"
#include "tests/store/sql_helpers.hpp"
#include "tests/store/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using namespace signaal::store;
using signaal::store::test::scalar;
using signaal::store::test::temp_dir;

namespace {

std::vector<std::uint8_t> filled(std::size_t n, std::uint8_t v) {
    return std::vector<std::uint8_t>(n, v);
}

using ids = std::vector<std::string>;

struct fixture {
    temp_dir dir;
    database db = test::open_migrated(dir.db_path());
    desk_registry registry{db};

    fixture() {
        add_staff("ann", "caseworker", {"care"}, 1);
        add_staff("ben", "caseworker", {"care", "police"}, 2);
        add_staff("cas", "caseworker", {"police"}, 3);
        add_staff("cor", "coordinator", {}, 4);
    }

    void add_staff(const std::string& id, const std::string& role, ids desks, std::uint8_t seed) {
        staff_record r;
        r.id = id;
        r.role = role;
        r.desks = std::move(desks);
        r.sign_pk = filled(32, seed);
        r.box_pk = filled(32, static_cast<std::uint8_t>(seed + 100));
        r.added_day = "2026-11-01";
        auto added = staff_records(db).add(r);
        BOOST_REQUIRE_MESSAGE(added, added.error().message);
    }

    key_grant grant(std::uint8_t key, const std::string& to, const std::string& by,
                    const std::string& desk = "care") {
        return {desk, filled(8, key), to, filled(80, 7), by, filled(64, 9)};
    }

    desk_state state(const std::string& desk = "care") {
        auto s = registry.state(desk);
        BOOST_REQUIRE_MESSAGE(s, s.error().message);
        return *s;
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(desk_registry_table, fixture)

BOOST_AUTO_TEST_CASE(named_holders_until_someone_holds_the_key) {
    auto s = state();
    BOOST_TEST(!s.registered);
    BOOST_TEST((s.caseworkers == ids{"ann", "ben"}));
    BOOST_TEST(s.holders.empty());

    BOOST_REQUIRE(registry.register_desk("care", {"ben", "ann"}));
    BOOST_REQUIRE(registry.register_desk("care", {"ann"})); // again: no change, no error
    s = state();
    BOOST_TEST(s.registered);
    BOOST_TEST((s.named_holders == ids{"ann", "ben"}));
    BOOST_TEST((s.holders == ids{"ann", "ben"}));
    BOOST_TEST(!s.held);
    BOOST_TEST(!s.current);
    BOOST_TEST(!s.rotate);

    BOOST_REQUIRE(registry.add_key("care", filled(8, 1), filled(32, 1), "2026-11-02", 0));
    BOOST_REQUIRE(registry.add_grant(grant(1, "ann", "ann")));
    s = state();
    BOOST_TEST(s.held);
    BOOST_TEST((s.holders == ids{"ann"}));
    BOOST_REQUIRE(s.current);
    BOOST_TEST(s.current->key_id == filled(8, 1));
    BOOST_TEST(!s.rotate);

    auto listed = registry.list();
    BOOST_REQUIRE(listed);
    BOOST_REQUIRE_EQUAL(listed->size(), 1u);
    BOOST_TEST(listed->at(0).desk == "care");
    BOOST_TEST((listed->at(0).named_holders == ids{"ann", "ben"}));
}

BOOST_AUTO_TEST_CASE(a_disabled_or_departed_holder_prompts_a_rotation) {
    BOOST_REQUIRE(registry.register_desk("care", {"ann"}));
    BOOST_REQUIRE(registry.add_key("care", filled(8, 1), filled(32, 1), "2026-11-02", 0));
    BOOST_REQUIRE(registry.add_grant(grant(1, "ann", "ann")));
    BOOST_REQUIRE(registry.add_grant(grant(1, "ben", "ann")));
    BOOST_TEST((state().holders == ids{"ann", "ben"}));
    BOOST_TEST(!state().rotate);

    BOOST_REQUIRE(staff_records(db).disable("ben"));
    auto s = state();
    BOOST_TEST(s.rotate);
    BOOST_TEST((s.holders == ids{"ann"}));
    BOOST_TEST((s.caseworkers == ids{"ann"}));

    // A new key granted to the remaining holder: no rotation due any more; the
    // old key stays listed with its end of grace.
    BOOST_REQUIRE(registry.add_key("care", filled(8, 2), filled(32, 2), "2026-11-03", 1800000000));
    BOOST_REQUIRE(registry.add_grant(grant(2, "ann", "ann")));
    s = state();
    BOOST_TEST(!s.rotate);
    BOOST_TEST(s.current->key_id == filled(8, 2));
    auto all = desk_keys(db).list();
    BOOST_REQUIRE(all);
    BOOST_REQUIRE_EQUAL(all->size(), 2u);
    BOOST_TEST(all->at(0).accept_until.value_or(0) == 1800000000);
    BOOST_TEST(!all->at(1).accept_until);
}

BOOST_AUTO_TEST_CASE(nobody_active_holds_the_key_so_the_named_holders_may_make_one) {
    BOOST_REQUIRE(registry.register_desk("care", {"ben"}));
    BOOST_REQUIRE(registry.add_key("care", filled(8, 1), filled(32, 1), "2026-11-02", 0));
    BOOST_REQUIRE(registry.add_grant(grant(1, "ann", "ann")));
    BOOST_REQUIRE(staff_records(db).disable("ann"));
    auto s = state();
    BOOST_TEST(!s.held);
    BOOST_TEST(s.rotate);
    BOOST_TEST((s.holders == ids{"ben"}));
}

BOOST_AUTO_TEST_CASE(keys_granted_to_a_person_are_those_of_their_desks) {
    BOOST_REQUIRE(registry.register_desk("care", {"ben"}));
    BOOST_REQUIRE(registry.register_desk("police", {"ben"}));
    BOOST_REQUIRE(registry.add_key("care", filled(8, 1), filled(32, 1), "2026-11-02", 0));
    BOOST_REQUIRE(registry.add_key("police", filled(8, 2), filled(32, 2), "2026-11-02", 0));
    BOOST_REQUIRE(registry.add_key("care", filled(8, 3), filled(32, 3), "2026-11-03", 1));
    BOOST_REQUIRE(registry.add_grant(grant(1, "ben", "ben")));
    BOOST_REQUIRE(registry.add_grant(grant(3, "ben", "ben")));
    BOOST_REQUIRE(registry.add_grant(grant(2, "ben", "ben", "police")));
    BOOST_REQUIRE(registry.add_grant(grant(1, "ann", "ben")));

    auto mine = registry.keys_granted_to("ben", {"care", "police"});
    BOOST_REQUIRE(mine);
    BOOST_REQUIRE_EQUAL(mine->size(), 3u);
    BOOST_TEST(mine->at(0).grant.key_id == filled(8, 1)); // by desk, oldest first
    BOOST_TEST(mine->at(1).grant.key_id == filled(8, 3));
    BOOST_TEST(mine->at(2).grant.desk == "police");
    BOOST_TEST(mine->at(0).public_key == filled(32, 1));
    BOOST_TEST((mine->at(0).grant == grant(1, "ben", "ben")));
    // A desk left behind: its keys are no longer listed.
    auto care_only = registry.keys_granted_to("ben", {"care"});
    BOOST_TEST(care_only->size() == 2u);
    BOOST_TEST(registry.keys_granted_to("ann", {"care"})->size() == 1u);
    BOOST_TEST(registry.keys_granted_to("cas", {"police"})->empty());
}

BOOST_AUTO_TEST_CASE(bad_grants_and_keys_are_refused) {
    BOOST_REQUIRE(registry.register_desk("care", {"ann"}));
    BOOST_REQUIRE(registry.add_key("care", filled(8, 1), filled(32, 1), "2026-11-02", 0));
    BOOST_TEST(!registry.add_grant(grant(9, "ann", "ann")));           // unknown key
    BOOST_TEST(!registry.add_grant(grant(1, "ann", "ann", "police"))); // another desk's
    auto short_wrap = grant(1, "ann", "ann");
    short_wrap.wrapped.pop_back();
    BOOST_TEST(!registry.add_grant(short_wrap));
    BOOST_TEST(
        !registry.add_key("care", filled(8, 1), filled(32, 5), "2026-11-02", 0)); // id reused
    BOOST_TEST(!registry.register_desk("reporter", {"ann"}));
    BOOST_TEST(!registry.register_desk("care", {"Not An Id"}));
    BOOST_TEST(scalar(db, "SELECT count(*) FROM desk_key_grants") == 0);
}

BOOST_AUTO_TEST_SUITE_END()

// Keys made on the host before schema 4 stay served, and their desks count as
// registered with no holder, so a named holder can take over with a new key.
BOOST_AUTO_TEST_CASE(desks_with_keys_from_before_schema_4_are_registered) {
    temp_dir dir;
    auto db = database::open(dir.db_path(), open_mode::read_write_create);
    BOOST_REQUIRE(db.has_value());
    for (const auto& m : embedded_migrations()) {
        if (m.version >= 4) {
            break;
        }
        BOOST_REQUIRE(db->exec(std::string(m.sql).c_str()));
    }
    BOOST_REQUIRE(db->exec("PRAGMA user_version=3"));
    BOOST_REQUIRE(desk_keys(*db).add_current("care", filled(8, 1), filled(32, 1), "2025-01-01"));
    BOOST_REQUIRE(desk_keys(*db).add_current("police", filled(8, 2), filled(32, 2), "2025-01-01"));
    auto migrated = migrate(*db);
    BOOST_REQUIRE_MESSAGE(migrated, migrated.error().message);
    auto accepted = desk_keys(*db).accepted(0);
    BOOST_TEST(accepted->size() == 2u);
    desk_registry registry(*db);
    auto listed = registry.list();
    BOOST_REQUIRE(listed);
    BOOST_REQUIRE_EQUAL(listed->size(), 2u);
    BOOST_TEST(listed->at(0).desk == "care");
    BOOST_TEST(listed->at(0).named_holders.empty());
    auto care = registry.state("care");
    BOOST_TEST(care->registered);
    BOOST_TEST(!care->held);
    BOOST_TEST(care->current.has_value());
}
