// The signed and boxed steps of PROTOCOL.md §6 and §7 against their vectors:
// sign-in, grants, desk fingerprints, reporter message signatures, reporter
// envelopes and consent changes. Each known answer is followed by tamper,
// truncate and wrong-key cases on the same vector.
#include "test_util.hpp"

#include "crypto/associated_data.hpp"
#include "crypto/authenticated_box.hpp"
#include "crypto/box.hpp"
#include "crypto/consent_signature.hpp"
#include "crypto/desk_fingerprint.hpp"
#include "crypto/grant.hpp"
#include "crypto/key_id.hpp"
#include "crypto/key_pair_check.hpp"
#include "crypto/message_signature.hpp"
#include "crypto/receipt.hpp"
#include "crypto/sealed_message.hpp"
#include "crypto/sign.hpp"
#include "crypto/sign_in_message.hpp"

using namespace signaal::crypto;
using namespace signaal::crypto_test;

namespace {

receipt_keys keys_of_receipt(const signaal::test_json::value& v) {
    return receipt_derive(secret_bytes(from_hex(v["receipt_hex"].as_string())));
}

secret_bytes secret_b64(const signaal::test_json::value& v) {
    bytes plain = b64(v.as_string());
    secret_bytes out(plain);
    wipe(plain);
    return out;
}

/// The care desk's secret key: the grant vector's opened key, checked against its public key.
secret_bytes care_desk_secret() {
    const auto grant = vectors()["grant"].as_array().at(0);
    secret_bytes sk = secret_b64(grant["opens_to_secret_key"]);
    BOOST_REQUIRE(box_pair_matches(b64(grant["public_key"].as_string()), sk));
    return sk;
}

} // namespace

BOOST_AUTO_TEST_SUITE(signature_vectors)

BOOST_AUTO_TEST_CASE(login_vectors_are_bound_to_the_origin) {
    for (const auto& v : vectors()["login"].as_array()) {
        const std::string& kind = v["kind"].as_string();
        const std::string& origin = v["origin"].as_string();
        const bytes challenge = b64(v["challenge"].as_string());
        const bytes signature = b64(v["signature"].as_string());
        BOOST_TEST_CONTEXT(kind << " login") {
            BOOST_REQUIRE(kind == "staff" || kind == "mailbox");
            const bool staff = kind == "staff";
            const bytes public_key = b64(v[staff ? "staff_sign_pk" : "mailbox_pk"].as_string());
            const bytes message =
                staff ? staff_sign_in_message(origin, v["staff"].as_string(), challenge)
                      : mailbox_sign_in_message(origin, challenge);
            BOOST_TEST(base64url_encode(message) == v["signed_message_b64"].as_string());
            BOOST_TEST(verify_detached(signature, message, public_key));
            if (!staff) {
                // The mailbox key comes from the receipt, and signs exactly this.
                const receipt_keys keys = keys_of_receipt(v);
                BOOST_TEST(keys.mailbox.public_key == public_key);
                BOOST_TEST(sign_detached(message, keys.mailbox.secret_key) == signature);
            }

            // Another origin (a look-alike server, another port) is another message.
            for (const std::string_view other :
                 {"https://signaal.example.org:8443", "https://signaal.example.com",
                  "http://signaal.example.org", "https://SIGNAAL.example.org"}) {
                const bytes relayed =
                    staff ? staff_sign_in_message(other, v["staff"].as_string(), challenge)
                          : mailbox_sign_in_message(other, challenge);
                BOOST_TEST(!verify_detached(signature, relayed, public_key));
            }
            // Domain separation: the same challenge as the other kind of sign-in.
            const bytes other_kind = staff ? mailbox_sign_in_message(origin, challenge)
                                           : staff_sign_in_message(origin, "care-demo", challenge);
            BOOST_TEST(!verify_detached(signature, other_kind, public_key));
            if (staff) {
                BOOST_TEST(!verify_detached(signature,
                                            staff_sign_in_message(origin, "police-demo", challenge),
                                            public_key));
            }
            BOOST_TEST(!verify_detached(flipped(signature, 0), message, public_key));
            BOOST_TEST(
                !verify_detached(signature, flipped(message, message.size() - 1), public_key));
            BOOST_TEST(!verify_detached(signature, challenge, public_key));
            BOOST_TEST(!verify_detached(signature, message, sign_keygen().public_key));
            BOOST_CHECK_THROW((void)mailbox_sign_in_message(origin, byte_view(challenge).first(31)),
                              std::invalid_argument);
        }
    }
}

BOOST_AUTO_TEST_CASE(grant_vectors_sign_wrap_and_open) {
    for (const auto& v : vectors()["grant"].as_array()) {
        BOOST_TEST_CONTEXT("grant of " << v["desk"].as_string() << " to " << v["to"].as_string()) {
            const bytes public_key = b64(v["public_key"].as_string());
            const bytes key_id_bytes = b64(v["key_id"].as_string());
            const bytes wrapped = b64(v["wrapped"].as_string());
            const bytes signature = b64(v["signature"].as_string());
            const bytes by_sign_pk = b64(v["by_sign_pk"].as_string());
            const secret_bytes to_box_sk = secret_b64(v["to_box_sk"]);
            BOOST_TEST(base64url_encode(key_id_of(public_key)) == v["key_id"].as_string());
            BOOST_TEST(box_public_key_of(to_box_sk) ==
                       std::optional<bytes>(b64(v["to_box_pk"].as_string())));

            const bytes message = grant_signed_bytes(v["desk"].as_string(), v["key_id"].as_string(),
                                                     v["to"].as_string(), wrapped);
            BOOST_TEST(base64url_encode(message) == v["signed_message_b64"].as_string());
            BOOST_TEST(verify_detached(signature, message, by_sign_pk));

            const auto desk_sk = grant_unwrap(wrapped, public_key, key_id_bytes, to_box_sk);
            BOOST_REQUIRE(desk_sk.has_value());
            BOOST_TEST(to_vec(desk_sk->view()) == b64(v["opens_to_secret_key"].as_string()));

            // A fresh wrap of the same key opens the same way.
            const bytes rewrapped = grant_wrap(*desk_sk, b64(v["to_box_pk"].as_string()));
            const auto again = grant_unwrap(rewrapped, public_key, key_id_bytes, to_box_sk);
            BOOST_REQUIRE(again.has_value());
            BOOST_TEST(equal_constant_time(again->view(), desk_sk->view()));

            // Tampered, truncated, or for another receiver: nothing.
            for (const std::size_t at : {std::size_t{0}, wrapped.size() / 2, wrapped.size() - 1}) {
                BOOST_TEST(
                    !grant_unwrap(flipped(wrapped, at), public_key, key_id_bytes, to_box_sk));
            }
            BOOST_TEST(!grant_unwrap(byte_view(wrapped).first(wrapped.size() - 1), public_key,
                                     key_id_bytes, to_box_sk));
            BOOST_TEST(!grant_unwrap(wrapped, public_key, key_id_bytes, box_keygen().secret_key));
            // The server swapped the public key (or its id): the secret does not match it.
            const bytes other_pk = box_keygen().public_key;
            BOOST_TEST(!grant_unwrap(wrapped, other_pk, key_id_of(other_pk), to_box_sk));
            BOOST_TEST(!grant_unwrap(wrapped, public_key, flipped(key_id_bytes, 0), to_box_sk));
            // A key sealed by someone else to this receiver is refused for this public key.
            const bytes forged =
                grant_wrap(box_keygen().secret_key, b64(v["to_box_pk"].as_string()));
            BOOST_TEST(!grant_unwrap(forged, public_key, key_id_bytes, to_box_sk));

            // The signature covers desk, key id, receiver and the wrapped bytes.
            BOOST_TEST(
                !verify_detached(signature, flipped(message, message.size() - 1), by_sign_pk));
            BOOST_TEST(!verify_detached(
                signature,
                grant_signed_bytes("police", v["key_id"].as_string(), v["to"].as_string(), wrapped),
                by_sign_pk));
            BOOST_TEST(
                !verify_detached(signature,
                                 grant_signed_bytes(v["desk"].as_string(), v["key_id"].as_string(),
                                                    "intruder", wrapped),
                                 by_sign_pk));
            BOOST_TEST(
                !verify_detached(signature,
                                 grant_signed_bytes(v["desk"].as_string(), v["key_id"].as_string(),
                                                    v["to"].as_string(), forged),
                                 by_sign_pk));
            BOOST_TEST(!verify_detached(signature, message, sign_keygen().public_key));
        }
    }
}

BOOST_AUTO_TEST_CASE(desk_fingerprint_vectors) {
    for (const auto& v : vectors()["desk_fingerprint"].as_array()) {
        const bytes public_key = b64(v["public_key"].as_string());
        const std::string fingerprint = desk_fingerprint(public_key);
        BOOST_TEST(fingerprint == v["fingerprint"].as_string());
        BOOST_TEST(fingerprint.size() == 29U); // 24 characters, 5 dashes
        BOOST_TEST(desk_fingerprint(flipped(public_key, 31)) != fingerprint);
    }
}

BOOST_AUTO_TEST_CASE(message_signature_vectors) {
    for (const auto& v : vectors()["message_signature"].as_array()) {
        const receipt_keys keys = keys_of_receipt(v);
        const bytes mailbox_pk = b64(v["mailbox_pk"].as_string());
        BOOST_TEST(keys.mailbox.public_key == mailbox_pk);
        const std::string ad = message_ad(v["report_id"].as_string(), v["sender"].as_string(),
                                          v["recipients"].as_strings());
        BOOST_TEST(ad == v["ad_utf8"].as_string());
        const bytes nonce = b64(v["nonce"].as_string());
        const bytes ciphertext = b64(v["ciphertext"].as_string());
        const bytes signature = b64(v["signature"].as_string());

        const bytes message = message_signed_bytes(ad, nonce, ciphertext);
        BOOST_TEST(base64url_encode(message) == v["signed_message_b64"].as_string());
        BOOST_TEST(sign_detached(message, keys.mailbox.secret_key) == signature);
        BOOST_TEST(verify_detached(signature, message, mailbox_pk));
        // The same steps through sealed_message, as the server and the clients call them.
        const message_address address{v["report_id"].as_string(), v["sender"].as_string(),
                                      v["recipients"].as_strings()};
        BOOST_TEST(sign_reporter_message(address, nonce, ciphertext, keys.mailbox.secret_key) ==
                   signature);
        BOOST_TEST(verify_reporter_message(signature, address, nonce, ciphertext, mailbox_pk));
        BOOST_TEST(!verify_reporter_message(signature, address, nonce, flipped(ciphertext, 0),
                                            mailbox_pk));

        // Someone who can write the database changes the text, the nonce, the readers
        // or the key: the signature no longer holds.
        BOOST_TEST(!verify_detached(
            signature, message_signed_bytes(ad, nonce, flipped(ciphertext, 7)), mailbox_pk));
        BOOST_TEST(!verify_detached(
            signature,
            message_signed_bytes(ad, nonce, byte_view(ciphertext).first(ciphertext.size() - 1)),
            mailbox_pk));
        BOOST_TEST(!verify_detached(
            signature, message_signed_bytes(ad, flipped(nonce, 0), ciphertext), mailbox_pk));
        const std::vector<std::string> more = {"care", "police", "reporter"};
        BOOST_TEST(!verify_detached(signature,
                                    message_signed_bytes(message_ad(v["report_id"].as_string(),
                                                                    v["sender"].as_string(), more),
                                                         nonce, ciphertext),
                                    mailbox_pk));
        BOOST_TEST(!verify_detached(signature, message, sign_keygen().public_key));
        BOOST_TEST(!verify_detached(flipped(signature, 63), message, mailbox_pk));
    }
}

BOOST_AUTO_TEST_CASE(reporter_envelope_vectors) {
    const secret_bytes desk_sk = care_desk_secret();
    for (const auto& v : vectors()["reporter_envelope"].as_array()) {
        BOOST_TEST_CONTEXT("desk " << v["desk"].as_string()) {
            const bytes desk_pk = b64(v["desk_public_key"].as_string());
            BOOST_REQUIRE(box_pair_matches(desk_pk, desk_sk));
            BOOST_TEST(base64url_encode(key_id_of(desk_pk)) == v["key_id"].as_string());
            BOOST_TEST(v["envelope"]["key_id"].as_string() == v["key_id"].as_string());
            const receipt_keys reporter = keys_of_receipt(v);
            BOOST_TEST(reporter.box.public_key == b64(v["reporter_box_pk"].as_string()));
            const bytes nonce = b64(v["envelope"]["nonce"].as_string());
            const bytes box = b64(v["envelope"]["box"].as_string());
            const bytes message_key = b64(v["opens_to_message_key"].as_string());

            const auto opened = box_decrypt(box, nonce, desk_pk, reporter.box.secret_key);
            BOOST_REQUIRE(opened.has_value());
            BOOST_TEST(to_vec(opened->view()) == message_key);
            BOOST_TEST(box_encrypt(message_key, nonce, reporter.box.public_key, desk_sk) == box);
            const auto through_api =
                open_reporter_envelope(nonce, box, desk_pk, reporter.box.secret_key);
            BOOST_REQUIRE(through_api.has_value());
            BOOST_TEST(to_vec(through_api->view()) == message_key);
            BOOST_TEST(!open_reporter_envelope(nonce, box, box_keygen().public_key,
                                               reporter.box.secret_key));

            for (const std::size_t at : {std::size_t{0}, box.size() / 2, box.size() - 1}) {
                BOOST_TEST(!box_decrypt(flipped(box, at), nonce, desk_pk, reporter.box.secret_key));
            }
            BOOST_TEST(!box_decrypt(byte_view(box).first(box.size() - 1), nonce, desk_pk,
                                    reporter.box.secret_key));
            BOOST_TEST(!box_decrypt(byte_view(box).first(box_tag_size - 1), nonce, desk_pk,
                                    reporter.box.secret_key));
            BOOST_TEST(!box_decrypt(box, flipped(nonce, 3), desk_pk, reporter.box.secret_key));
            BOOST_TEST(!box_decrypt(box, nonce, desk_pk, box_keygen().secret_key));
            // A reply key boxed by anyone but the desk does not open as the desk's.
            const box_keypair impostor = box_keygen();
            const bytes forged =
                box_encrypt(message_key, nonce, reporter.box.public_key, impostor.secret_key);
            BOOST_TEST(!box_decrypt(forged, nonce, desk_pk, reporter.box.secret_key));
            BOOST_TEST(box_decrypt(forged, nonce, impostor.public_key, reporter.box.secret_key)
                           .has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(consent_signature_vectors) {
    for (const auto& v : vectors()["consent_signature"].as_array()) {
        const receipt_keys keys = keys_of_receipt(v);
        const bytes mailbox_pk = b64(v["mailbox_pk"].as_string());
        BOOST_TEST(keys.mailbox.public_key == mailbox_pk);
        const auto change = static_cast<std::uint64_t>(v["change"].as_int());
        const auto add = v["add"].as_strings();
        const auto remove = v["remove"].as_strings();
        const bytes signature = b64(v["signature"].as_string());

        const bytes message = consent_signed_bytes(v["report_id"].as_string(), change, add, remove);
        BOOST_TEST(base64url_encode(message) == v["signed_message_b64"].as_string());
        BOOST_TEST(sign_detached(message, keys.mailbox.secret_key) == signature);
        BOOST_TEST(verify_detached(signature, message, mailbox_pk));

        // A replay as a later change, the lists swapped, another report: refused.
        BOOST_TEST(!verify_detached(
            signature, consent_signed_bytes(v["report_id"].as_string(), change + 1, add, remove),
            mailbox_pk));
        BOOST_TEST(!verify_detached(
            signature, consent_signed_bytes(v["report_id"].as_string(), change, remove, add),
            mailbox_pk));
        BOOST_TEST(!verify_detached(
            signature, consent_signed_bytes("AAECAwQFBgcICQoLDA0OEA", change, add, remove),
            mailbox_pk));
        BOOST_TEST(!verify_detached(signature, message, sign_keygen().public_key));
    }
    // Order of the lists does not matter: both are sorted before signing.
    const std::vector<std::string> ab = {"police", "care"};
    const std::vector<std::string> ba = {"care", "police"};
    const std::vector<std::string> none;
    BOOST_TEST(consent_signed_bytes("x", 2, ab, none) == consent_signed_bytes("x", 2, ba, none));
    BOOST_TEST(base64url_encode(consent_signed_bytes("x", 12, none, ab)) ==
               base64url_encode(as_bytes("signaal/consent/v1\nx\n12\n\ncare,police")));
}

BOOST_AUTO_TEST_SUITE_END()
