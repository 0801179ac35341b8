// The key forward seals a report to, without a server: taken from
// /api/v1/config only when its key id is its own, and trusted only when its
// fingerprint is pinned (a key id pinned with another fingerprint is refused).
// A key that is new is asked about on a terminal; that path runs in
// inbox_e2e_test (inbox_consent), where the binary has no terminal or a
// pseudo-terminal.
#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/desk_fingerprint.hpp"
#include "crypto/key_id.hpp"
#include "crypto/random.hpp"
#include "tests/inbox/child_process.hpp"
#include "tools/inbox/sealing_key.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

namespace signaal::inbox {
namespace {

using crypto::base64url_encode;

json::object config_with(const std::string& desk, const crypto::bytes& public_key,
                         const std::string& key_id) {
    return json::object{
        {"desks",
         json::array{json::object{{"id", "care"},
                                  {"public_key", base64url_encode(crypto::random_bytes(32))},
                                  {"key_id", "AAAAAAAAAAA"}},
                     json::object{{"id", desk},
                                  {"public_key", base64url_encode(public_key)},
                                  {"key_id", key_id}}}}};
}

} // namespace

BOOST_AUTO_TEST_SUITE(sealing_keys)

BOOST_AUTO_TEST_CASE(the_config_key_of_a_desk_must_carry_its_own_key_id) {
    const auto police = crypto::box_keygen();
    const auto key_id = base64url_encode(crypto::key_id_of(police.public_key));
    const auto found = config_key_of(config_with("police", police.public_key, key_id), "police");
    BOOST_REQUIRE_MESSAGE(found.has_value(), found.error().message);
    BOOST_TEST(found->desk == "police");
    BOOST_TEST(found->key_id == key_id);
    BOOST_TEST(found->public_key == police.public_key);
    BOOST_TEST(found->fingerprint == crypto::desk_fingerprint(police.public_key));

    const auto other = crypto::box_keygen();
    const auto wrong_id = config_key_of(config_with("police", other.public_key, key_id), "police");
    BOOST_REQUIRE(!wrong_id.has_value());
    BOOST_TEST(wrong_id.error().message.find("does not match its key id") != std::string::npos);
    BOOST_TEST(!config_key_of(config_with("police", crypto::random_bytes(31), key_id), "police")
                    .has_value());
    const auto missing =
        config_key_of(config_with("police", police.public_key, key_id), "municipality");
    BOOST_REQUIRE(!missing.has_value());
    BOOST_TEST(missing.error().message ==
               "desk municipality has no current key in the instance configuration");
    BOOST_TEST(!config_key_of(json::object{}, "police").has_value());
}

BOOST_AUTO_TEST_CASE(a_pinned_key_is_trusted_and_one_pinned_differently_is_refused) {
    inbox_test::temp_dir dir;
    auto pins = pin_store::load(dir.path() / "k.json.pins.json").value();
    const auto police = crypto::box_keygen();
    sealing_key key{"police", base64url_encode(crypto::key_id_of(police.public_key)),
                    police.public_key, crypto::desk_fingerprint(police.public_key)};
    std::ostringstream out;
    std::ostringstream err;
    context ctx{out, err};

    pins.add("police", pin{key.key_id, key.fingerprint, "config"});
    BOOST_TEST(trust_sealing_key(key, pins, ctx).has_value());
    BOOST_TEST(err.str().empty(), err.str()); // nothing asked

    auto changed = pin_store::load(dir.path() / "other.pins.json").value();
    const auto pinned = crypto::desk_fingerprint(crypto::random_bytes(32));
    changed.add("police", pin{key.key_id, pinned, "config"});
    const auto refused = trust_sealing_key(key, changed, ctx);
    BOOST_REQUIRE(!refused.has_value());
    BOOST_TEST(refused.error().message.find("REFUSED desk key " + key.key_id + " of police") == 0u,
               refused.error().message);
    BOOST_TEST(refused.error().message.find("not the pinned " + pinned) != std::string::npos,
               refused.error().message);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace signaal::inbox
