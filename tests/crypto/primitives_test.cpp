// Behaviour of each primitive beyond the vectors: rejects, tamper, truncate, wrong key.
#include "test_util.hpp"

#include "crypto/aead.hpp"
#include "crypto/associated_data.hpp"
#include "crypto/box.hpp"
#include "crypto/hash.hpp"
#include "crypto/key_pair_check.hpp"
#include "crypto/padding.hpp"
#include "crypto/pow.hpp"
#include "crypto/random.hpp"
#include "crypto/receipt.hpp"
#include "crypto/secret.hpp"
#include "crypto/sign.hpp"
#include "crypto/wipe_probe.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>

using namespace signaal::crypto;
using namespace signaal::crypto_test;

namespace {

const std::array<std::size_t, 4> buckets = {1024, 4096, 16384, 65536};

} // namespace

BOOST_AUTO_TEST_SUITE(base64url)

BOOST_AUTO_TEST_CASE(rejects_every_non_canonical_spelling) {
    for (const std::string_view bad : std::initializer_list<std::string_view>{
             "_w=", "_w==", "+w", "/w", " _w", "_w ", "_w\n", "_\tw", "_x", "a", "abcde", "AB=C",
             "c2lnbmFhbA=", std::string_view("_w\0", 3)}) {
        BOOST_TEST_CONTEXT("input '" << bad << "'") {
            BOOST_TEST(!base64url_decode(bad).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(decode_exact_checks_the_length) {
    BOOST_TEST(base64url_decode_exact("-_8", 2).has_value());
    BOOST_TEST(!base64url_decode_exact("-_8", 1).has_value());
    BOOST_TEST(!base64url_decode_exact("-_8", 3).has_value());
    BOOST_TEST(!base64url_decode_exact("_x", 1).has_value()); // bad input stays bad
    BOOST_TEST(base64url_decode_exact("", 0).has_value());
    BOOST_TEST(!base64url_decode_exact("", 1).has_value());
}

BOOST_AUTO_TEST_CASE(round_trips_every_length) {
    for (std::size_t n = 0; n <= 70; ++n) {
        const bytes raw = random_bytes(n);
        const std::string text = base64url_encode(raw);
        BOOST_TEST(text.find_first_of("=+/") == std::string::npos);
        BOOST_TEST(base64url_decode(text) == std::optional<bytes>(raw));
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(secrets)

BOOST_AUTO_TEST_CASE(sizes_and_contents) {
    const secret_bytes none;
    BOOST_TEST(none.empty());
    BOOST_TEST(none.data() == nullptr);
    const secret_bytes zero(std::size_t{0});
    BOOST_TEST(zero.empty());
    BOOST_TEST(zero.data() == nullptr); // size 0 allocates nothing

    const secret_bytes zeros(std::size_t{40});
    BOOST_TEST(zeros.size() == 40U);
    for (const std::uint8_t b : zeros.view()) {
        BOOST_TEST(b == 0);
    }
    const bytes source = {1, 2, 3};
    const secret_bytes copy(byte_view{source});
    BOOST_TEST(to_vec(copy.view()) == source);
    BOOST_TEST(copy.data() != source.data());
}

BOOST_AUTO_TEST_CASE(moves_leave_the_source_empty) {
    const bytes source = {9, 8, 7, 6};
    secret_bytes a(byte_view{source});
    const std::uint8_t* where = a.data();

    secret_bytes b(std::move(a));
    BOOST_TEST(a.empty()); // NOLINT(bugprone-use-after-move): the point of the test
    BOOST_TEST(a.data() == nullptr);
    BOOST_TEST(b.data() == where); // moved, not copied
    BOOST_TEST(to_vec(b.view()) == source);

    secret_bytes c(std::size_t{16});
    c = std::move(b);      // c's old buffer is freed (and wiped by sodium_free)
    BOOST_TEST(b.empty()); // NOLINT(bugprone-use-after-move)
    BOOST_TEST(b.data() == nullptr);
    BOOST_TEST(c.data() == where);
    BOOST_TEST(to_vec(c.view()) == source);

    c = secret_bytes();
    BOOST_TEST(c.empty());
    BOOST_TEST(c.data() == nullptr);
}

// The wipe itself, seen through the probe secret_bytes calls between zeroing
// its bytes and releasing them: without the sodium_memzero these see 0xa5.
namespace {
std::vector<bytes> seen_at_release;
void record_release(const std::uint8_t* data, std::size_t size) {
    seen_at_release.emplace_back(data, data + size);
}
} // namespace

BOOST_AUTO_TEST_CASE(secret_bytes_are_zeroed_before_their_memory_is_released) {
    seen_at_release.clear();
    const auto previous = detail::set_wipe_probe(&record_release);
    {
        const bytes pattern(48, 0xa5);
        secret_bytes destroyed{byte_view(pattern)};
        secret_bytes overwritten{byte_view(pattern).first(32)};
        overwritten = secret_bytes(byte_view(pattern).first(16)); // the 32 bytes are released
        secret_bytes moved_from{byte_view(pattern).first(8)};
        const secret_bytes moved_to(std::move(moved_from)); // nothing released yet
        BOOST_TEST(seen_at_release.size() == 1U);
    }
    detail::set_wipe_probe(previous);
    // 32 (overwritten), then in reverse order: 8 (moved_to), 16 (overwritten), 48 (destroyed).
    BOOST_REQUIRE(seen_at_release.size() == 4U);
    const std::vector<std::size_t> sizes = {32, 8, 16, 48};
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        BOOST_TEST(seen_at_release[i] == bytes(sizes[i], 0));
    }
}

BOOST_AUTO_TEST_CASE(wipe_zeroes_plain_buffers) {
    bytes buffer = {1, 2, 3, 4};
    wipe(buffer);
    BOOST_TEST(buffer == bytes(4, 0));
    std::string text = "hunter2";
    const char* where = text.data();
    wipe(text);
    BOOST_TEST(text.empty());
    // Same storage (short-string buffer); clear() alone would only zero where[0].
    for (std::size_t i = 0; i < 7; ++i) {
        BOOST_TEST(where[i] == '\0');
    }
}

BOOST_AUTO_TEST_CASE(equal_constant_time_compares_bytes_and_sizes) {
    const bytes a = {1, 2, 3, 4};
    BOOST_TEST(equal_constant_time(a, bytes{1, 2, 3, 4}));
    BOOST_TEST(!equal_constant_time(a, bytes{1, 2, 3, 5}));
    BOOST_TEST(!equal_constant_time(a, bytes{0, 2, 3, 4}));
    BOOST_TEST(!equal_constant_time(a, bytes{1, 2, 3}));
    BOOST_TEST(!equal_constant_time(a, bytes{}));
    BOOST_TEST(equal_constant_time(bytes{}, bytes{}));
}

BOOST_AUTO_TEST_CASE(random_values_differ) {
    BOOST_TEST(random_bytes(32) != random_bytes(32));
    BOOST_TEST(random_bytes(0).empty());
    const secret_bytes s = random_secret(32);
    BOOST_TEST(s.size() == 32U);
    BOOST_TEST(!equal_constant_time(s.view(), random_secret(32).view()));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(hashing)

BOOST_AUTO_TEST_CASE(blake2b256_known_answers) {
    BOOST_TEST(to_vec(blake2b256({})) ==
               from_hex("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"));
    BOOST_TEST(to_vec(blake2b256(as_bytes("abc"))) ==
               from_hex("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"));
}

BOOST_AUTO_TEST_CASE(keyed_hash_depends_on_the_key_and_checks_its_size) {
    const bytes k1(32, 1);
    const bytes k2(32, 2);
    BOOST_TEST(to_vec(blake2b256_keyed(as_bytes("m"), k1)) !=
               to_vec(blake2b256_keyed(as_bytes("m"), k2)));
    BOOST_TEST(to_vec(blake2b256_keyed(as_bytes("m"), k1)) != to_vec(blake2b256(as_bytes("m"))));
    BOOST_CHECK_THROW((void)blake2b256_keyed(as_bytes("m"), bytes(15, 1)), std::invalid_argument);
    BOOST_CHECK_THROW((void)blake2b256_keyed(as_bytes("m"), bytes(65, 1)), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(padding)

BOOST_AUTO_TEST_CASE(pad_unpad_round_trip) {
    for (const std::size_t n : {0, 1, 100, 1022, 1023, 1024, 5000}) {
        const bytes plaintext = random_bytes(n);
        const auto padded = pad(plaintext, buckets);
        BOOST_REQUIRE(padded.has_value());
        BOOST_TEST(padded->size() == *bucket_for(n, buckets));
        BOOST_TEST(padded->at(n) == 0x80);
        const auto back = unpad(*padded);
        BOOST_REQUIRE(back.has_value());
        BOOST_TEST(*back == plaintext);
    }
}

BOOST_AUTO_TEST_CASE(buckets_need_not_be_sorted) {
    const std::array<std::size_t, 3> unsorted = {4096, 16, 1024};
    BOOST_TEST(bucket_for(0, unsorted) == std::optional<std::size_t>(16));
    BOOST_TEST(bucket_for(15, unsorted) == std::optional<std::size_t>(16));
    BOOST_TEST(bucket_for(16, unsorted) == std::optional<std::size_t>(1024));
    BOOST_TEST(!bucket_for(4096, unsorted).has_value());
    BOOST_TEST(!bucket_for(0, std::span<const std::size_t>{}).has_value());
    BOOST_TEST(!bucket_for(std::numeric_limits<std::size_t>::max(), buckets).has_value());
}

BOOST_AUTO_TEST_CASE(unpad_rejects_malformed_padding) {
    BOOST_TEST(!unpad(bytes{}).has_value());
    BOOST_TEST(!unpad(bytes(16, 0)).has_value());                       // no 0x80 at all
    BOOST_TEST(!unpad(bytes{'a', 'b', 'c'}).has_value());               // no 0x80 at all
    BOOST_TEST(!unpad(bytes{'a', 0x80, 0x01, 0x00}).has_value());       // non-zero after 0x80
    BOOST_TEST(!unpad(bytes{'a', 0x80, 0x00, 0x80, 0x7f}).has_value()); // ends non-zero
    BOOST_TEST(unpad(bytes{'a', 0x80}) == std::optional<bytes>(bytes{'a'}));
    BOOST_TEST(unpad(bytes{0x80, 0x00}) == std::optional<bytes>(bytes{}));
    // Only the last 0x80 is the marker; an earlier one belongs to the plaintext.
    BOOST_TEST(unpad(bytes{0x80, 0x80, 0x00}) == std::optional<bytes>(bytes{0x80}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(aead)

BOOST_AUTO_TEST_CASE(round_trip_tamper_truncate_wrong_key) {
    const secret_bytes key = random_secret(aead_key_size);
    const bytes nonce = random_bytes(aead_nonce_size);
    const bytes plaintext = to_vec(as_bytes("the text"));
    const bytes ad = to_vec(as_bytes("signaal/report/v1\nr\nc\ncare\ncare"));
    const bytes ct = aead_encrypt(plaintext, ad, nonce, key);
    BOOST_TEST(ct.size() == plaintext.size() + aead_tag_size);

    const auto back = aead_decrypt(ct, ad, nonce, key);
    BOOST_REQUIRE(back.has_value());
    BOOST_TEST(to_vec(back->view()) == plaintext);

    for (std::size_t at = 0; at < ct.size(); ++at) {
        BOOST_TEST(!aead_decrypt(flipped(ct, at), ad, nonce, key).has_value());
    }
    BOOST_TEST(!aead_decrypt(ct, ad, flipped(nonce, 23), key).has_value());
    BOOST_TEST(!aead_decrypt(ct, flipped(ad, 0), nonce, key).has_value());
    BOOST_TEST(!aead_decrypt(ct, bytes{}, nonce, key).has_value());
    BOOST_TEST(!aead_decrypt(byte_view(ct).first(ct.size() - 1), ad, nonce, key).has_value());
    BOOST_TEST(!aead_decrypt(bytes{}, ad, nonce, key).has_value());
    BOOST_TEST(!aead_decrypt(ct, ad, nonce, random_secret(aead_key_size)).has_value());
    BOOST_TEST(!aead_decrypt(ct, ad, byte_view(nonce).first(12), key).has_value());
    BOOST_TEST(!aead_decrypt(ct, ad, nonce, random_secret(16)).has_value());
}

BOOST_AUTO_TEST_CASE(empty_plaintext_round_trips) {
    const secret_bytes key = random_secret(aead_key_size);
    const bytes nonce = random_bytes(aead_nonce_size);
    const bytes ct = aead_encrypt({}, {}, nonce, key);
    BOOST_TEST(ct.size() == aead_tag_size);
    const auto back = aead_decrypt(ct, {}, nonce, key);
    BOOST_REQUIRE(back.has_value());
    BOOST_TEST(back->empty());
    BOOST_TEST(!aead_decrypt(flipped(ct, 0), {}, nonce, key).has_value());
}

BOOST_AUTO_TEST_CASE(wrong_sizes_from_our_own_code_throw) {
    const secret_bytes key = random_secret(aead_key_size);
    BOOST_CHECK_THROW((void)aead_encrypt({}, {}, random_bytes(12), key), std::invalid_argument);
    BOOST_CHECK_THROW((void)aead_encrypt({}, {}, random_bytes(24), random_secret(31)),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sealed_box)

BOOST_AUTO_TEST_CASE(round_trip_tamper_truncate_wrong_key) {
    const box_keypair desk = box_keygen();
    BOOST_TEST(desk.public_key.size() == box_public_key_size);
    BOOST_TEST(desk.secret_key.size() == box_secret_key_size);
    const secret_bytes report_key = random_secret(aead_key_size);
    const bytes sealed = seal(report_key.view(), desk.public_key);
    BOOST_TEST(sealed.size() == 80U);

    const auto opened = seal_open(sealed, desk.public_key, desk.secret_key);
    BOOST_REQUIRE(opened.has_value());
    BOOST_TEST(equal_constant_time(opened->view(), report_key.view()));

    for (std::size_t at = 0; at < sealed.size(); ++at) {
        BOOST_TEST(!seal_open(flipped(sealed, at), desk.public_key, desk.secret_key).has_value());
    }
    BOOST_TEST(
        !seal_open(byte_view(sealed).first(79), desk.public_key, desk.secret_key).has_value());
    BOOST_TEST(!seal_open(bytes{}, desk.public_key, desk.secret_key).has_value());
    const box_keypair other = box_keygen();
    BOOST_TEST(!seal_open(sealed, other.public_key, other.secret_key).has_value());
    BOOST_TEST(!seal_open(sealed, desk.public_key, other.secret_key).has_value());
    BOOST_TEST(
        !seal_open(sealed, byte_view(desk.public_key).first(31), desk.secret_key).has_value());
}

BOOST_AUTO_TEST_CASE(empty_message_and_seeded_keys) {
    const box_keypair a = box_seed_keypair(bytes(box_seed_size, 7));
    const box_keypair b = box_seed_keypair(bytes(box_seed_size, 7));
    BOOST_TEST(a.public_key == b.public_key);
    BOOST_TEST(equal_constant_time(a.secret_key.view(), b.secret_key.view()));
    BOOST_TEST(a.public_key != box_seed_keypair(bytes(box_seed_size, 8)).public_key);

    const bytes sealed = seal({}, a.public_key);
    BOOST_TEST(sealed.size() == seal_overhead);
    const auto opened = seal_open(sealed, a.public_key, a.secret_key);
    BOOST_REQUIRE(opened.has_value());
    BOOST_TEST(opened->empty());

    BOOST_CHECK_THROW((void)seal({}, bytes(31, 1)), std::invalid_argument);
    BOOST_CHECK_THROW((void)box_seed_keypair(bytes(31, 1)), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(signatures)

BOOST_AUTO_TEST_CASE(sign_verify_tamper_wrong_key) {
    const sign_keypair kp = sign_keygen();
    BOOST_TEST(kp.public_key.size() == sign_public_key_size);
    BOOST_TEST(kp.secret_key.size() == sign_secret_key_size);
    const bytes message = to_vec(as_bytes("signaal/login/v1\nchallenge"));
    const bytes sig = sign_detached(message, kp.secret_key);
    BOOST_TEST(sig.size() == signature_size);
    BOOST_TEST(verify_detached(sig, message, kp.public_key));
    BOOST_TEST(!verify_detached(flipped(sig, 63), message, kp.public_key));
    BOOST_TEST(!verify_detached(sig, flipped(message, 0), kp.public_key));
    BOOST_TEST(!verify_detached(byte_view(sig).first(63), message, kp.public_key));
    BOOST_TEST(!verify_detached(sig, message, sign_keygen().public_key));
    BOOST_TEST(!verify_detached(sig, message, byte_view(kp.public_key).first(31)));
}

BOOST_AUTO_TEST_CASE(seeded_keys_are_deterministic) {
    const sign_keypair a = sign_seed_keypair(bytes(32, 3));
    const sign_keypair b = sign_seed_keypair(bytes(32, 3));
    BOOST_TEST(a.public_key == b.public_key);
    BOOST_TEST(
        verify_detached(sign_detached(as_bytes("m"), a.secret_key), as_bytes("m"), b.public_key));
    BOOST_CHECK_THROW((void)sign_seed_keypair(bytes(31, 3)), std::invalid_argument);
    BOOST_CHECK_THROW((void)sign_detached(as_bytes("m"), random_secret(32)), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(receipts)

BOOST_AUTO_TEST_CASE(format_parse_round_trip) {
    for (int i = 0; i < 50; ++i) {
        const secret_bytes receipt = random_secret(receipt_size);
        const std::string text = receipt_format(receipt.view());
        BOOST_TEST(text.size() == 19U);
        BOOST_TEST(text[4] == '-');
        BOOST_TEST(text[9] == '-');
        BOOST_TEST(text[14] == '-');
        const auto back = receipt_parse(text);
        BOOST_REQUIRE(back.has_value());
        BOOST_TEST(equal_constant_time(back->view(), receipt.view()));
    }
}

BOOST_AUTO_TEST_CASE(parse_rejects_bad_input) {
    for (const std::string_view bad : std::initializer_list<std::string_view>{
             "", "0000-0000-0000-000", "0000-0000-0000-00000", "0000-0000-0000-000U",
             "0000-0000-0000-000*", "0000_0000_0000_0000", "0000\f0000-0000-0000",
             "0000\v0000-0000-0000", "0000-0000-0000-000\xc2", "0000-0000-0000-000\xa0",
             "0000\xe2\x80\x83"
             "0000-0000-0000",
             "\xc3\x96\xc3\x96\xc3\x96\xc3\x96-0000-0000-0000",
             std::string_view("0000-0000-0000-0000\0", 20)}) {
        BOOST_TEST_CONTEXT("input '" << bad << "'") {
            BOOST_TEST(!receipt_parse(bad).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_drops_separators_and_reads_look_alikes) {
    // '-', space, tab, U+00A0 and line ends anywhere are dropped; l and i read as 1, o as 0.
    for (const std::string_view loose :
         std::initializer_list<std::string_view>{"--l1 iI-0000 0000-0000--",
                                                 "L1Ii\t0oO0\r\n0000\xc2\xa0"
                                                 "0000",
                                                 "l1ii0ooo00000000", " 1111-0000-0000-0000 \n"}) {
        BOOST_TEST_CONTEXT("input '" << loose << "'") {
            const auto parsed = receipt_parse(loose);
            BOOST_REQUIRE(parsed.has_value());
            BOOST_TEST(receipt_format(parsed->view()) == "1111-0000-0000-0000");
        }
    }
}

BOOST_AUTO_TEST_CASE(derived_keys_work_and_differ_per_receipt) {
    const secret_bytes receipt = random_secret(receipt_size);
    const receipt_keys keys = receipt_derive(receipt);
    const receipt_keys again = receipt_derive(receipt);
    BOOST_TEST(keys.box.public_key == again.box.public_key);
    BOOST_TEST(keys.mailbox.public_key == again.mailbox.public_key);
    BOOST_TEST(keys.box.public_key != receipt_derive(random_secret(receipt_size)).box.public_key);

    // A desk's reply sealed to box_pk opens with the receipt-derived secret key.
    const bytes sealed = seal(as_bytes("reply key"), keys.box.public_key);
    const auto opened = seal_open(sealed, again.box.public_key, again.box.secret_key);
    BOOST_REQUIRE(opened.has_value());
    BOOST_TEST(to_vec(opened->view()) == to_vec(as_bytes("reply key")));
    // The mailbox key signs what the server checks against mailbox_pk.
    const bytes sig = sign_detached(as_bytes("signaal/mailbox/v1\nc"), again.mailbox.secret_key);
    BOOST_TEST(verify_detached(sig, as_bytes("signaal/mailbox/v1\nc"), keys.mailbox.public_key));

    BOOST_CHECK_THROW((void)receipt_derive(random_secret(9)), std::invalid_argument);
    BOOST_CHECK_THROW((void)receipt_format(bytes(11, 0)), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(proof_of_work)

BOOST_AUTO_TEST_CASE(leading_zero_bits_counts_from_the_top) {
    BOOST_TEST(leading_zero_bits(bytes{}) == 0U);
    BOOST_TEST(leading_zero_bits(bytes{0x80}) == 0U);
    BOOST_TEST(leading_zero_bits(bytes{0x01}) == 7U);
    BOOST_TEST(leading_zero_bits(bytes{0x00, 0x01}) == 15U);
    BOOST_TEST(leading_zero_bits(bytes{0x00, 0x00, 0x20, 0xff}) == 18U);
    BOOST_TEST(leading_zero_bits(bytes(32, 0)) == 256U);
}

BOOST_AUTO_TEST_CASE(solve_finds_a_nonce_for_difficulty_12) {
    const bytes token = random_bytes(37);
    const bytes nonce = pow_solve(token, 12);
    BOOST_TEST(nonce.size() == pow_nonce_size);
    BOOST_TEST(pow_satisfied(token, nonce, 12));
    bytes message = token;
    message.insert(message.end(), nonce.begin(), nonce.end());
    BOOST_TEST(leading_zero_bits(blake2b256(message)) >= 12U);
    BOOST_TEST(pow_satisfied(token, nonce, 0));
    BOOST_TEST(!pow_satisfied(token, byte_view(nonce).first(7), 0)); // nonce is 8 bytes
    BOOST_TEST(!pow_satisfied(token, bytes(9, 0), 0));
}

BOOST_AUTO_TEST_CASE(tokens_round_trip_with_their_layout) {
    const pow_tokens tokens(random_secret(pow_key_size));
    const std::int64_t expiry = 1'700'000'600;
    const bytes token = tokens.mint(expiry);
    BOOST_TEST(token.size() == 37U);
    BOOST_TEST(token[0] == 0x01);
    const bytes expiry_be = {0, 0, 0, 0, 0x65, 0x53, 0xf3, 0x58}; // 1700000600
    BOOST_TEST(bytes(token.begin() + 1, token.begin() + 9) == expiry_be);
    BOOST_TEST(tokens.verify(token) == std::optional<std::int64_t>(expiry));
    BOOST_TEST(tokens.mint(expiry) != token); // 12 random bytes each time
    BOOST_TEST(tokens.verify(tokens.mint(-5)) == std::optional<std::int64_t>(-5));
}

BOOST_AUTO_TEST_CASE(tokens_refuse_tamper_truncation_and_other_keys) {
    const pow_tokens tokens(random_secret(pow_key_size));
    const bytes token = tokens.mint(1'700'000'600);
    for (std::size_t at = 0; at < token.size(); ++at) {
        BOOST_TEST_CONTEXT("flipped byte " << at) {
            BOOST_TEST(!tokens.verify(flipped(token, at)).has_value());
        }
    }
    BOOST_TEST(!tokens.verify(byte_view(token).first(36)).has_value());
    bytes longer = token;
    longer.push_back(0);
    BOOST_TEST(!tokens.verify(longer).has_value());
    BOOST_TEST(!tokens.verify(bytes{}).has_value());
    const pow_tokens other(random_secret(pow_key_size));
    BOOST_TEST(!other.verify(token).has_value());
    BOOST_CHECK_THROW(pow_tokens(random_secret(16)), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(associated_data)

BOOST_AUTO_TEST_CASE(builders_sort_bytewise_and_handle_empty_lists) {
    const std::vector<std::string> none;
    BOOST_TEST(report_ad("peer_expert", "health", none, none) ==
               "signaal/report/v1\npeer_expert\nhealth\n\n");
    const std::vector<std::string> mixed = {"b", "_x", "B", "a-1", "a"};
    // Bytewise: 'B' (0x42) < '_' (0x5f) < 'a' (0x61) and "a" < "a-1".
    BOOST_TEST(report_ad("r", "c", mixed, std::vector<std::string>{"care"}) ==
               "signaal/report/v1\nr\nc\nB,_x,a,a-1,b\ncare");
    BOOST_TEST(message_ad("AAAA", "reporter", std::vector<std::string>{"police", "care"}) ==
               "signaal/message/v1\nAAAA\nreporter\ncare,police");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(key_pairs)

BOOST_AUTO_TEST_CASE(pairs_are_checked_by_recomputing_the_public_key) {
    const box_keypair box = box_keygen();
    const sign_keypair sign = sign_keygen();
    BOOST_TEST(box_public_key_of(box.secret_key) == std::optional<bytes>(box.public_key));
    BOOST_TEST(sign_public_key_of(sign.secret_key) == std::optional<bytes>(sign.public_key));
    BOOST_TEST(box_pair_matches(box.public_key, box.secret_key));
    BOOST_TEST(sign_pair_matches(sign.public_key, sign.secret_key));

    BOOST_TEST(!box_pair_matches(box_keygen().public_key, box.secret_key));
    BOOST_TEST(!box_pair_matches(flipped(box.public_key, 0), box.secret_key));
    BOOST_TEST(!sign_pair_matches(sign_keygen().public_key, sign.secret_key));
    BOOST_TEST(!box_pair_matches(box.public_key, random_secret(31)));
    BOOST_TEST(!sign_pair_matches(sign.public_key, random_secret(32)));
    BOOST_TEST(!box_public_key_of(random_secret(33)).has_value());

    // A 64-byte Ed25519 key whose stored public half was replaced: the seed
    // decides, so the file's claim is refused even though the halves "match".
    const sign_keypair other = sign_keygen();
    bytes spliced = to_vec(sign.secret_key.view());
    std::copy(other.public_key.begin(), other.public_key.end(), spliced.begin() + 32);
    const secret_bytes forged{byte_view(spliced)};
    wipe(spliced);
    BOOST_TEST(!sign_public_key_of(forged).has_value());
    BOOST_TEST(!sign_pair_matches(other.public_key, forged));
    BOOST_TEST(!sign_pair_matches(sign.public_key, forged));
}

BOOST_AUTO_TEST_SUITE_END()
