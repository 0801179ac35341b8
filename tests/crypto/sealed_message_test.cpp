// A §7 message both ways through crypto/sealed_message: a reporter's signed
// message to desks, a desk's reply boxed to the reporter, the reporter's own
// copy; and what breaks when anything of it is changed.
#include "test_util.hpp"

#include "crypto/box.hpp"
#include "crypto/receipt.hpp"
#include "crypto/sealed_message.hpp"

#include <array>
#include <string>

using namespace signaal::crypto;
using namespace signaal::crypto_test;

namespace {

const std::array<std::size_t, 2> buckets{256, 1024};

std::string text_of(const secret_bytes& plain) {
    return {plain.view().begin(), plain.view().end()};
}

} // namespace

BOOST_AUTO_TEST_SUITE(sealed_message)

BOOST_AUTO_TEST_CASE(reporter_message_round_trips_to_each_desk_and_to_herself) {
    const receipt_keys reporter = receipt_derive(secret_bytes(from_hex("00112233445566778899")));
    const box_keypair care = box_keygen();
    const box_keypair police = box_keygen();
    const message_address address{
        "AAAAAAAAAAAAAAAAAAAAAA", "reporter", {"reporter", "police", "care"}};
    const std::string plain = R"({"v":1,"lang":"nl","text":"dank je","n":1})";

    auto body = seal_message(as_bytes(plain), address, buckets);
    BOOST_REQUIRE(body.has_value());
    BOOST_TEST(body->nonce.size() == 24U);
    BOOST_TEST(body->ciphertext.size() == 256U + 16U);
    const bytes to_care = seal_envelope(body->key, care.public_key);
    const bytes to_police = seal_envelope(body->key, police.public_key);
    const bytes to_herself = seal_envelope(body->key, reporter.box.public_key);
    BOOST_TEST(to_care.size() == 80U);
    const bytes signature =
        sign_reporter_message(address, body->nonce, body->ciphertext, reporter.mailbox.secret_key);
    BOOST_TEST(verify_reporter_message(signature, address, body->nonce, body->ciphertext,
                                       reporter.mailbox.public_key));

    for (const auto* reader : {&care, &police}) {
        const bytes& envelope = reader == &care ? to_care : to_police;
        const auto key = open_sealed_envelope(envelope, reader->public_key, reader->secret_key);
        BOOST_REQUIRE(key.has_value());
        const auto opened = open_message(body->nonce, body->ciphertext, address, *key);
        BOOST_REQUIRE(opened.has_value());
        BOOST_TEST(text_of(*opened) == plain);
    }
    const auto own =
        open_sealed_envelope(to_herself, reporter.box.public_key, reporter.box.secret_key);
    BOOST_REQUIRE(own.has_value());
    BOOST_TEST(text_of(*open_message(body->nonce, body->ciphertext, address, *own)) == plain);
    // A desk's key does not open another desk's envelope.
    BOOST_TEST(!open_sealed_envelope(to_care, police.public_key, police.secret_key));
}

BOOST_AUTO_TEST_CASE(a_changed_message_does_not_open_or_verify) {
    const receipt_keys reporter = receipt_derive(secret_bytes(from_hex("ffeeddccbbaa99887766")));
    const box_keypair care = box_keygen();
    const message_address address{"BBBBBBBBBBBBBBBBBBBBBB", "reporter", {"care"}};
    const std::string plain = R"({"v":1,"lang":"en","text":"hello","n":2})";
    auto body = seal_message(as_bytes(plain), address, buckets);
    BOOST_REQUIRE(body.has_value());
    const bytes signature =
        sign_reporter_message(address, body->nonce, body->ciphertext, reporter.mailbox.secret_key);
    const auto& pk = reporter.mailbox.public_key;

    BOOST_TEST(!open_message(body->nonce, flipped(body->ciphertext, 3), address, body->key));
    BOOST_TEST(!open_message(flipped(body->nonce, 0), body->ciphertext, address, body->key));
    BOOST_TEST(
        !open_message(body->nonce, byte_view(body->ciphertext).first(10), address, body->key));
    BOOST_TEST(!open_message(body->nonce, body->ciphertext, address, box_keygen().secret_key));
    for (const message_address& other :
         {message_address{"CCCCCCCCCCCCCCCCCCCCCC", "reporter", {"care"}},
          message_address{"BBBBBBBBBBBBBBBBBBBBBB", "desk:care", {"care"}},
          message_address{"BBBBBBBBBBBBBBBBBBBBBB", "reporter", {"care", "police"}}}) {
        BOOST_TEST(!open_message(body->nonce, body->ciphertext, other, body->key));
        BOOST_TEST(!verify_reporter_message(signature, other, body->nonce, body->ciphertext, pk));
    }
    BOOST_TEST(!verify_reporter_message(signature, address, body->nonce,
                                        flipped(body->ciphertext, 0), pk));
    BOOST_TEST(!verify_reporter_message(flipped(signature, 5), address, body->nonce,
                                        body->ciphertext, pk));
    BOOST_TEST(!verify_reporter_message(signature, address, body->nonce, body->ciphertext,
                                        sign_keygen().public_key));
    BOOST_TEST(!verify_reporter_message(byte_view(signature).first(63), address, body->nonce,
                                        body->ciphertext, pk));
    BOOST_TEST(!open_sealed_envelope(flipped(seal_envelope(body->key, care.public_key), 40),
                                     care.public_key, care.secret_key));
}

BOOST_AUTO_TEST_CASE(desk_reply_opens_for_the_reporter_only_under_that_desks_key) {
    const receipt_keys reporter = receipt_derive(secret_bytes(from_hex("0102030405060708090a")));
    const box_keypair care = box_keygen();
    const message_address address{"DDDDDDDDDDDDDDDDDDDDDD", "desk:care", {"care", "reporter"}};
    const std::string plain = R"({"v":1,"lang":"nl","text":"we lazen het","n":1})";
    auto body = seal_message(as_bytes(plain), address, buckets);
    BOOST_REQUIRE(body.has_value());
    const boxed_envelope to_reporter =
        box_reporter_envelope(body->key, reporter.box.public_key, care.secret_key);
    BOOST_TEST(to_reporter.nonce.size() == 24U);
    BOOST_TEST(to_reporter.box.size() == 48U);

    const auto key = open_reporter_envelope(to_reporter.nonce, to_reporter.box, care.public_key,
                                            reporter.box.secret_key);
    BOOST_REQUIRE(key.has_value());
    BOOST_TEST(text_of(*open_message(body->nonce, body->ciphertext, address, *key)) == plain);

    // Whoever can write the database boxes a key with a key of their own: it
    // does not open as care's.
    const box_keypair impostor = box_keygen();
    const boxed_envelope forged =
        box_reporter_envelope(body->key, reporter.box.public_key, impostor.secret_key);
    BOOST_TEST(!open_reporter_envelope(forged.nonce, forged.box, care.public_key,
                                       reporter.box.secret_key));
    BOOST_TEST(!open_reporter_envelope(to_reporter.nonce, flipped(to_reporter.box, 20),
                                       care.public_key, reporter.box.secret_key));
    BOOST_TEST(!open_reporter_envelope(flipped(to_reporter.nonce, 1), to_reporter.box,
                                       care.public_key, reporter.box.secret_key));
    BOOST_TEST(!open_reporter_envelope(to_reporter.nonce, to_reporter.box, care.public_key,
                                       box_keygen().secret_key));
    BOOST_TEST(!open_reporter_envelope(to_reporter.nonce, to_reporter.box, bytes(31, 0),
                                       reporter.box.secret_key));
}

BOOST_AUTO_TEST_CASE(no_bucket_fits_refuses_to_seal) {
    const std::string long_text(2000, 'x');
    const message_address address{"EEEEEEEEEEEEEEEEEEEEEE", "reporter", {"care"}};
    BOOST_TEST(!seal_message(as_bytes(long_text), address, buckets).has_value());
    // Exactly one byte less than a bucket fits (the 0x80 marker takes the last).
    const std::string fits(255, 'y');
    const auto body = seal_message(as_bytes(fits), address, buckets);
    BOOST_REQUIRE(body.has_value());
    BOOST_TEST(body->ciphertext.size() == 256U + 16U);
}

BOOST_AUTO_TEST_SUITE_END()
