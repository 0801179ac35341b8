// Locked key files (PROTOCOL.md §10, v2) against staff_key_lock and
// desk_key_lock: the passphrase in NFC or NFD derives the same key, the
// sealed secrets open to exactly the vector's JSON and belong to the public
// keys outside; a wrong passphrase, a damaged file and parameters out of
// bounds are refused.
#include "test_util.hpp"

#include "crypto/key_pair_check.hpp"
#include "crypto/lock_key.hpp"
#include "crypto/passphrase_nfc.hpp"
#include "crypto/secretbox.hpp"
#include "crypto/sign.hpp"
#include "crypto/sign_in_message.hpp"

using namespace signaal::crypto;
using namespace signaal::crypto_test;

namespace {

lock_params params_of(const signaal::test_json::value& file) {
    const auto lock = file["lock"];
    BOOST_TEST(lock["kdf"].as_string() == lock_kdf);
    return {static_cast<std::uint64_t>(lock["opslimit"].as_int()),
            static_cast<std::uint64_t>(lock["memlimit"].as_int()), b64(lock["salt"].as_string())};
}

std::string text_of(const secret_bytes& s) {
    return {reinterpret_cast<const char*>(s.data()), s.size()};
}

secret_bytes secret_b64(const std::string& text) {
    bytes plain = b64(text);
    secret_bytes out(plain);
    wipe(plain);
    return out;
}

/// Opens a vector's file with `passphrase`; checks the known answer on the way.
std::optional<secret_bytes> open_file(const signaal::test_json::value& file,
                                      std::string_view passphrase) {
    const auto key = lock_key(passphrase, params_of(file));
    BOOST_REQUIRE(key.has_value());
    return secretbox_open(b64(file["sealed"].as_string()), b64(file["nonce"].as_string()), *key);
}

} // namespace

BOOST_AUTO_TEST_SUITE(key_lock_vectors)

BOOST_AUTO_TEST_CASE(staff_key_lock_opens_with_nfc_and_nfd_and_not_otherwise) {
    for (const auto& v : vectors()["staff_key_lock"].as_array()) {
        const auto file = v["file"];
        BOOST_TEST(file["kind"].as_string() == "signaal-staff-key");
        BOOST_TEST(file["v"].as_int() == 2);
        const lock_params params = params_of(file);
        BOOST_TEST(params.opslimit == lock_write_opslimit);
        BOOST_TEST(params.memlimit == lock_write_memlimit);

        const auto key = lock_key(v["passphrase"].as_string(), params);
        BOOST_REQUIRE(key.has_value());
        BOOST_TEST(base64url_encode(key->view()) == v["derived_key"].as_string());
        // Typed in NFD (e + U+0308), the passphrase derives the same key.
        BOOST_TEST(v["passphrase_nfd_also_opens"].as_string() != v["passphrase"].as_string());
        const auto nfd_key = lock_key(v["passphrase_nfd_also_opens"].as_string(), params);
        BOOST_REQUIRE(nfd_key.has_value());
        BOOST_TEST(equal_constant_time(nfd_key->view(), key->view()));

        const bytes nonce = b64(file["nonce"].as_string());
        const bytes sealed = b64(file["sealed"].as_string());
        const auto secrets = secretbox_open(sealed, nonce, *key);
        BOOST_REQUIRE(secrets.has_value());
        BOOST_TEST(text_of(*secrets) == v["secrets_json"].as_string());
        BOOST_TEST(secretbox_seal(secrets->view(), nonce, *key) == sealed);

        // The secrets belong to the file: same staff inside and out, keys that
        // recompute to the public keys outside.
        const auto inside = signaal::test_json::parse_text(text_of(*secrets), "secrets");
        BOOST_TEST(inside["staff"].as_string() == file["staff"].as_string());
        const secret_bytes sign_sk = secret_b64(inside["sign_sk"].as_string());
        const secret_bytes box_sk = secret_b64(inside["box_sk"].as_string());
        BOOST_TEST(sign_pair_matches(b64(file["sign_pk"].as_string()), sign_sk));
        BOOST_TEST(box_pair_matches(b64(file["box_pk"].as_string()), box_sk));
        BOOST_TEST(!sign_pair_matches(b64(file["box_pk"].as_string()), sign_sk));

        // This is care-demo's key of the login vector: it signs that sign-in exactly.
        for (const auto& login : vectors()["login"].as_array()) {
            if (login["kind"].as_string() == "staff" &&
                login["staff"].as_string() == file["staff"].as_string()) {
                const bytes message =
                    staff_sign_in_message(login["origin"].as_string(), login["staff"].as_string(),
                                          b64(login["challenge"].as_string()));
                BOOST_TEST(base64url_encode(sign_detached(message, sign_sk)) ==
                           login["signature"].as_string());
            }
        }

        // A wrong passphrase (here: one letter's case) and a damaged file fail alike.
        BOOST_TEST(v["wrong_passphrase_result"].as_string() == "refused");
        BOOST_TEST(!open_file(file, v["wrong_passphrase"].as_string()).has_value());
        for (const std::size_t at : {std::size_t{0}, sealed.size() / 2, sealed.size() - 1}) {
            BOOST_TEST(!secretbox_open(flipped(sealed, at), nonce, *key).has_value());
        }
        BOOST_TEST(!secretbox_open(byte_view(sealed).first(sealed.size() - 1), nonce, *key));
        BOOST_TEST(!secretbox_open(byte_view(sealed).first(secretbox_tag_size - 1), nonce, *key));
        BOOST_TEST(!secretbox_open(sealed, flipped(nonce, 0), *key).has_value());
        // Another salt is another key.
        lock_params salted = params;
        salted.salt = flipped(salted.salt, 0);
        const auto other = lock_key(v["passphrase"].as_string(), salted);
        BOOST_REQUIRE(other.has_value());
        BOOST_TEST(!secretbox_open(sealed, nonce, *other).has_value());
    }
}

BOOST_AUTO_TEST_CASE(desk_key_lock_opens_to_the_desk_key) {
    for (const auto& v : vectors()["desk_key_lock"].as_array()) {
        const auto file = v["file"];
        BOOST_TEST(file["kind"].as_string() == "signaal-desk-key");
        BOOST_TEST(file["v"].as_int() == 2);
        const auto secrets = open_file(file, v["passphrase"].as_string());
        BOOST_REQUIRE(secrets.has_value());
        BOOST_TEST(text_of(*secrets) == v["secrets_json"].as_string());
        const auto inside = signaal::test_json::parse_text(text_of(*secrets), "secrets");
        BOOST_TEST(inside["desk"].as_string() == file["desk"].as_string());
        const secret_bytes desk_sk = secret_b64(inside["secret_key"].as_string());
        BOOST_TEST(box_pair_matches(b64(file["public_key"].as_string()), desk_sk));

        const bytes sealed = b64(file["sealed"].as_string());
        BOOST_TEST(!open_file(file, "Zeven zeeen, een sleutel").has_value());
        const auto key = lock_key(v["passphrase"].as_string(), params_of(file));
        BOOST_REQUIRE(key.has_value());
        BOOST_TEST(!secretbox_open(flipped(sealed, sealed.size() / 2),
                                   b64(file["nonce"].as_string()), *key));
    }
}

BOOST_AUTO_TEST_CASE(lock_parameters_out_of_bounds_are_refused_before_any_work) {
    const bytes salt(lock_salt_size, 7);
    constexpr std::uint64_t mib = 1024 * 1024;
    for (const lock_params& bad :
         {lock_params{0, 64 * mib, salt}, lock_params{11, 64 * mib, salt},
          lock_params{3, 8 * mib - 1, salt}, lock_params{3, 256 * mib + 1, salt},
          lock_params{3, 1024 * mib, salt}, lock_params{3, 64 * mib, bytes(15, 7)},
          lock_params{3, 64 * mib, bytes(17, 7)}}) {
        BOOST_TEST_CONTEXT("opslimit " << bad.opslimit << " memlimit " << bad.memlimit << " salt "
                                       << bad.salt.size()) {
            BOOST_TEST(!lock_params_acceptable(bad));
            BOOST_TEST(!lock_key("passphrase", bad).has_value());
        }
    }
    // The smallest parameters a reader accepts still run.
    const lock_params smallest{1, 8 * mib, salt};
    BOOST_TEST(lock_params_acceptable(smallest));
    BOOST_TEST(lock_key("passphrase", smallest).has_value());
    BOOST_TEST(!lock_key("", smallest).has_value());
    BOOST_TEST(!lock_key("\xff\xfe", smallest).has_value()); // not UTF-8
    const lock_params fresh = new_lock_params();
    BOOST_TEST(fresh.opslimit == 3U);
    BOOST_TEST(fresh.memlimit == 67108864U);
    BOOST_TEST(fresh.salt.size() == lock_salt_size);
    BOOST_TEST(new_lock_params().salt != fresh.salt);
}

BOOST_AUTO_TEST_CASE(passphrase_nfc_composes_and_refuses_broken_utf8) {
    const auto composed = passphrase_nfc("e\xcc\x81"); // e + U+0301
    BOOST_REQUIRE(composed.has_value());
    BOOST_TEST(text_of(*composed) == "\xc3\xa9"); // U+00E9
    const auto ascii = passphrase_nfc("plain words 123");
    BOOST_REQUIRE(ascii.has_value());
    BOOST_TEST(text_of(*ascii) == "plain words 123");
    const auto already = passphrase_nfc("\xc3\xa9\xc3\xab");
    BOOST_REQUIRE(already.has_value());
    BOOST_TEST(text_of(*already) == "\xc3\xa9\xc3\xab");
    for (const std::string_view bad :
         {std::string_view("\xc3"), std::string_view("a\xff"), std::string_view("\xed\xa0\x80")}) {
        BOOST_TEST(!passphrase_nfc(bad).has_value());
    }
}

BOOST_AUTO_TEST_SUITE_END()
