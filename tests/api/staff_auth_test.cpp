// The parts of staff sign-in that need no socket: the accepted origins, the
// challenges, the origin-bound signature check, and the watcher that notices
// a staff member disabled by another process.
#include "crypto/base64url.hpp"
#include "crypto/random.hpp"
#include "crypto/sign.hpp"
#include "crypto/sign_in_message.hpp"
#include "server/api/accepted_origins.hpp"
#include "server/api/challenge_store.hpp"
#include "server/api/sign_in_check.hpp"
#include "server/api/staff_watcher.hpp"
#include "server/common/clock.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/staff_records.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <future>

using namespace signaal;

namespace {

constexpr std::int64_t start_time = 1'790'000'000;

std::vector<std::uint8_t> b64(std::string_view text) {
    return crypto::base64url_decode(text).value();
}

/// A fresh data dir with a migrated database, removed afterwards.
struct data_dir {
    data_dir()
        : path(std::filesystem::temp_directory_path() /
               ("signaal-staff-" + crypto::base64url_encode(crypto::random_bytes(6)))) {
        store::prepare_data_dir(path);
        database = store::migrated_database(path);
    }
    ~data_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    store::database open(store::open_mode mode) const {
        auto db = store::database::open(database, mode);
        BOOST_REQUIRE_MESSAGE(db, db.error().message);
        return std::move(*db);
    }
    std::filesystem::path path;
    std::filesystem::path database;
};

store::staff_record caseworker(const std::string& id, std::uint8_t key) {
    return {id,
            "caseworker",
            {"care"},
            std::vector<std::uint8_t>(32, key),
            std::vector<std::uint8_t>(32, key),
            false,
            "2026-11-29"};
}

} // namespace

BOOST_AUTO_TEST_SUITE(staff_auth)

BOOST_AUTO_TEST_CASE(a_loopback_listener_adds_its_three_origins_for_the_bound_port) {
    api::accepted_origins origins({"https://signaal.example.org"});
    BOOST_TEST(*origins.current() == (std::vector<std::string>{"https://signaal.example.org"}));
    origins.listening_on("127.0.0.1", 40123);
    BOOST_TEST(*origins.current() ==
               (std::vector<std::string>{"https://signaal.example.org", "https://127.0.0.1:40123",
                                         "https://localhost:40123", "https://[::1]:40123"}));
    // A re-bind replaces the loopback origins, never piles them up.
    origins.listening_on("::1", 443);
    BOOST_TEST(*origins.current() ==
               (std::vector<std::string>{"https://signaal.example.org", "https://127.0.0.1",
                                         "https://localhost", "https://[::1]"}));
}

BOOST_AUTO_TEST_CASE(a_listener_on_another_address_adds_no_origin) {
    for (const char* address : {"0.0.0.0", "::", "192.168.1.10", "fd00::1", "not an address"}) {
        BOOST_TEST_CONTEXT(address) {
            api::accepted_origins origins({"https://signaal.example.org"});
            origins.listening_on(address, 8443);
            BOOST_TEST(*origins.current() ==
                       (std::vector<std::string>{"https://signaal.example.org"}));
        }
    }
    BOOST_TEST(api::is_loopback_address("127.0.0.1"));
    BOOST_TEST(api::is_loopback_address("127.8.9.10"));
    BOOST_TEST(api::is_loopback_address("::1"));
    BOOST_TEST(api::is_loopback_address("::ffff:127.0.0.1"));
    BOOST_TEST(!api::is_loopback_address("::ffff:10.0.0.1"));
    // Listed once when the operator also configured a loopback origin.
    api::accepted_origins both({"https://localhost:8443"});
    both.listening_on("127.0.0.1", 8443);
    BOOST_TEST(both.current()->size() == 3u);
}

BOOST_AUTO_TEST_CASE(the_vector_signature_verifies_only_for_its_origin) {
    // protocol-vectors.json, login[0]: signed for https://signaal.example.org.
    const auto pk = b64("Z-fGP0Mq3cUZQEm_cjQ96B-2xpCr9mOQFwkTAo6pnmc");
    const auto challenge = b64("iyCl0VDzqgUqHLro3He94FTghYNDuCscSE80RZdRyUM");
    const auto signature = b64("ZuWkeXNzbNYBP_sYXl6Rbmrqa7NQVNtUbq8VHNz_tpWFLIP1ZRBuRj_NdGxng5iVg6-"
                               "XwSxbicYVr5V4HFqlBQ");
    const auto check = [&](std::vector<std::string> origins, std::string_view staff) {
        return api::signed_for_an_accepted_origin(origins, staff, challenge, signature, pk);
    };
    BOOST_TEST(check({"https://signaal.example.org"}, "care-demo"));
    BOOST_TEST(check({"https://127.0.0.1:8443", "https://signaal.example.org"}, "care-demo"));
    BOOST_TEST(!check({}, "care-demo"));
    BOOST_TEST(!check({"https://signaal.example.org:8443", "http://signaal.example.org",
                       "https://signaal.example.org.evil", "https://127.0.0.1:8443"},
                      "care-demo"));
    BOOST_TEST(!check({"https://signaal.example.org"}, "police-demo"));
    auto other_challenge = challenge;
    other_challenge[0] ^= 1;
    BOOST_TEST(!api::signed_for_an_accepted_origin({"https://signaal.example.org"}, "care-demo",
                                                   other_challenge, signature, pk));
    BOOST_TEST(!api::signed_for_an_accepted_origin({"https://signaal.example.org"}, "care-demo",
                                                   challenge, signature, challenge)); // other key
    BOOST_TEST(!api::signed_for_an_accepted_origin({"https://signaal.example.org"}, "care-demo",
                                                   challenge, std::span(signature).first(63),
                                                   pk)); // truncated
}

BOOST_AUTO_TEST_CASE(challenges_are_single_use_and_expire) {
    manual_clock clock(start_time);
    api::challenge_store store(clock, 60);
    const auto first = store.issue();
    const auto second = store.issue();
    BOOST_REQUIRE(first);
    BOOST_REQUIRE(second);
    BOOST_TEST(*first != *second);
    BOOST_TEST(store.take(*first));
    BOOST_TEST(!store.take(*first)); // used up
    clock.advance(59);
    BOOST_TEST(store.take(*second)); // the last second of its life
    const auto third = store.issue();
    BOOST_REQUIRE(third);
    clock.advance(60);
    BOOST_TEST(!store.take(*third)); // expired at exactly its lifetime
    BOOST_TEST(store.outstanding() == 0u);
    std::array<std::uint8_t, 32> never{};
    BOOST_TEST(!store.take(never));
    BOOST_TEST(!store.take(std::span(never).first(31)));
}

BOOST_AUTO_TEST_CASE(outstanding_challenges_are_bounded) {
    manual_clock clock(start_time);
    api::challenge_store store(clock, 60, 3);
    for (int i = 0; i < 3; ++i) {
        BOOST_REQUIRE(store.issue());
    }
    BOOST_TEST(!store.issue()); // full: refused, nothing grows
    BOOST_TEST(store.outstanding() == 3u);
    clock.advance(60); // the three expire and make room
    BOOST_TEST(store.issue().has_value());
    BOOST_TEST(store.outstanding() == 1u);
}

BOOST_AUTO_TEST_CASE(the_watcher_reports_a_staff_member_disabled_by_another_connection) {
    data_dir dir;
    auto writer = dir.open(store::open_mode::read_write_create);
    store::staff_records staff(writer);
    BOOST_REQUIRE(staff.add(caseworker("ann", 1)));
    BOOST_REQUIRE(staff.add(caseworker("bea", 2)));
    BOOST_REQUIRE(staff.add(caseworker("old", 3)));
    BOOST_REQUIRE(staff.disable("old"));

    std::mutex mutex;
    std::vector<std::string> reported;
    std::promise<void> bea_reported;
    api::staff_watcher watcher(
        dir.open(store::open_mode::read_only),
        [&](const std::string& id) {
            std::lock_guard lock(mutex);
            reported.push_back(id);
            if (id == "bea") {
                bea_reported.set_value();
            }
        },
        std::chrono::milliseconds(5));
    BOOST_REQUIRE(watcher.check()); // what the server does before it listens
    BOOST_TEST(watcher.is_disabled("old"));
    BOOST_TEST(!watcher.is_disabled("bea"));
    watcher.start();

    BOOST_REQUIRE(staff.disable("bea")); // as signaal-admin does, from its own connection
    BOOST_REQUIRE(bea_reported.get_future().wait_for(std::chrono::seconds(30)) ==
                  std::future_status::ready);
    watcher.stop();
    BOOST_TEST(watcher.is_disabled("bea"));
    BOOST_TEST(!watcher.is_disabled("ann"));
    std::lock_guard lock(mutex);
    BOOST_TEST(reported == (std::vector<std::string>{"old", "bea"})); // each once
}

BOOST_AUTO_TEST_SUITE_END()
