#include "server/store/desk_keys.hpp"
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

struct fixture {
    temp_dir dir;
    database db = test::open_migrated(dir.db_path());
    desk_keys keys{db};

    std::vector<desk_key> list() {
        auto l = keys.list();
        BOOST_REQUIRE_MESSAGE(l.has_value(), l.error().message);
        return *l;
    }
    std::vector<desk_key> accepted(std::int64_t now) {
        auto l = keys.accepted(now);
        BOOST_REQUIRE_MESSAGE(l.has_value(), l.error().message);
        return *l;
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(desk_keys_table, fixture)

BOOST_AUTO_TEST_CASE(add_current_once_per_desk) {
    auto s = keys.add_current("care", filled(8, 1), filled(32, 11), "2024-03-01");
    BOOST_REQUIRE_MESSAGE(s.has_value(), s.error().message);
    const auto after_first = list();
    BOOST_REQUIRE_EQUAL(after_first.size(), 1u);
    BOOST_TEST((after_first[0] ==
                desk_key{"care", filled(8, 1), filled(32, 11), "2024-03-01", std::nullopt}));

    auto again = keys.add_current("care", filled(8, 2), filled(32, 12), "2024-03-02");
    BOOST_TEST(!again.has_value());
    BOOST_TEST(again.error().message == "desk care already has a current key; rotate it instead");
    BOOST_TEST((list() == after_first));

    // Another desk is independent; a reused key id or public key is refused.
    BOOST_TEST(keys.add_current("police", filled(8, 3), filled(32, 13), "2024-03-01").has_value());
    auto dup_id = keys.add_current("municipality", filled(8, 1), filled(32, 14), "2024-03-01");
    BOOST_TEST(dup_id.error().message == "key id is already known");
    auto dup_pk = keys.add_current("municipality", filled(8, 4), filled(32, 11), "2024-03-01");
    BOOST_TEST(!dup_pk.has_value());
    BOOST_TEST(list().size() == 2u);
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused_and_stores_nothing) {
    BOOST_TEST(
        keys.add_current("care", filled(7, 1), filled(32, 1), "2024-03-01").error().message ==
        "key id must be 8 bytes");
    BOOST_TEST(
        keys.add_current("care", filled(8, 1), filled(31, 1), "2024-03-01").error().message ==
        "public key must be 32 bytes");
    BOOST_TEST(
        !keys.add_current("care", filled(8, 1), filled(32, 1), "2024-03-01 12:00").has_value());
    BOOST_TEST(!keys.add_current("Care", filled(8, 1), filled(32, 1), "2024-03-01").has_value());
    BOOST_TEST(
        !keys.add_current("reporter", filled(8, 1), filled(32, 1), "2024-03-01").has_value());
    BOOST_TEST(!keys.add_current("", filled(8, 1), filled(32, 1), "2024-03-01").has_value());
    BOOST_TEST(!keys.rotate("care", filled(8, 1), filled(33, 1), "2024-03-01", 10).has_value());
    BOOST_TEST(scalar(db, "SELECT count(*) FROM desk_keys") == 0);
}

BOOST_AUTO_TEST_CASE(rotate_needs_a_current_key) {
    auto s = keys.rotate("care", filled(8, 1), filled(32, 1), "2024-03-01", 1000);
    BOOST_TEST(!s.has_value());
    BOOST_TEST(s.error().message == "desk care has no current key to rotate");
    BOOST_TEST(list().empty());
}

BOOST_AUTO_TEST_CASE(rotate_keeps_the_old_key_until_accept_until) {
    BOOST_REQUIRE(keys.add_current("care", filled(8, 1), filled(32, 11), "2024-03-01"));
    BOOST_REQUIRE(keys.add_current("police", filled(8, 9), filled(32, 19), "2024-03-01"));
    const std::int64_t until = 1'720'000'000;
    auto s = keys.rotate("care", filled(8, 2), filled(32, 12), "2024-06-01", until);
    BOOST_REQUIRE_MESSAGE(s.has_value(), s.error().message);

    const auto all = list();
    BOOST_REQUIRE_EQUAL(all.size(), 3u);
    BOOST_TEST((all[0] == desk_key{"care", filled(8, 1), filled(32, 11), "2024-03-01", until}));
    BOOST_TEST(
        (all[1] == desk_key{"care", filled(8, 2), filled(32, 12), "2024-06-01", std::nullopt}));
    BOOST_TEST(all[2].desk == "police");

    BOOST_TEST(accepted(until - 1).size() == 3u);
    const auto later = accepted(until); // accept_until is exclusive
    BOOST_REQUIRE_EQUAL(later.size(), 2u);
    BOOST_TEST(later[0].key_id == filled(8, 2));
    BOOST_TEST(later[1].key_id == filled(8, 9));

    // A second rotation: the first old key keeps its own accept_until.
    BOOST_REQUIRE(keys.rotate("care", filled(8, 3), filled(32, 13), "2024-09-01", until + 100));
    const auto three = list();
    BOOST_REQUIRE_EQUAL(three.size(), 4u);
    BOOST_TEST((three[0].accept_until == std::optional<std::int64_t>(until)));
    BOOST_TEST((three[1].accept_until == std::optional<std::int64_t>(until + 100)));
    BOOST_TEST(!three[2].accept_until.has_value());
    BOOST_TEST(accepted(until + 50).size() == 3u);
}

BOOST_AUTO_TEST_CASE(failed_rotation_changes_nothing) {
    BOOST_REQUIRE(keys.add_current("care", filled(8, 1), filled(32, 11), "2024-03-01"));
    const auto before = list();
    // The new public key is the current one: the insert fails, the retirement rolls back.
    auto s = keys.rotate("care", filled(8, 2), filled(32, 11), "2024-06-01", 5000);
    BOOST_TEST(!s.has_value());
    BOOST_TEST((list() == before));
    BOOST_TEST(!list()[0].accept_until.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
