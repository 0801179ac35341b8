// The client's parts that need no server: the origin a sign-in is signed for,
// terminal-safe text, the pins file, and opening a report.
#include "crypto/aead.hpp"
#include "crypto/associated_data.hpp"
#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/desk_fingerprint.hpp"
#include "crypto/key_id.hpp"
#include "crypto/padding.hpp"
#include "crypto/random.hpp"
#include "tests/inbox/child_process.hpp"
#include "tools/inbox/pins.hpp"
#include "tools/inbox/printable.hpp"
#include "tools/inbox/report_opener.hpp"
#include "tools/inbox/server_url.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

namespace signaal::inbox {
namespace {

using inbox_test::temp_dir;

std::string origin_of(const std::string& url) {
    auto parsed = parse_server_url(url);
    BOOST_REQUIRE_MESSAGE(parsed.has_value(),
                          url + ": " + (parsed ? std::string() : parsed.error().message));
    return parsed->origin;
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_url_origin)

BOOST_AUTO_TEST_CASE(origin_is_derived_exactly_as_section_6_says) {
    BOOST_TEST(origin_of("https://signaal.example.org") == "https://signaal.example.org");
    BOOST_TEST(origin_of("https://Signaal.Example.ORG/") == "https://signaal.example.org");
    BOOST_TEST(origin_of("https://signaal.example.org:443") == "https://signaal.example.org");
    BOOST_TEST(origin_of("https://127.0.0.1:8443") == "https://127.0.0.1:8443");
    BOOST_TEST(origin_of("https://localhost:8443/") == "https://localhost:8443");
    BOOST_TEST(origin_of("https://[::1]:8443") == "https://[::1]:8443");
    const auto v6 = parse_server_url("https://[::1]:8443");
    BOOST_TEST(v6->host == "::1");
    BOOST_TEST(v6->port == 8443);
}

BOOST_AUTO_TEST_CASE(anything_but_https_host_and_port_is_refused) {
    for (const std::string bad :
         {"http://localhost:8443", "localhost:8443", "https://", "https://host/api",
          "https://user@host", "https://host:0", "https://host:65536",
          "https://host:", "https://host?x=1", "https://ho st", "https://[::1", "https://[::1]x",
          "https://host:84a3"}) {
        BOOST_TEST(!parse_server_url(bad).has_value(), bad);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(terminal_safe_text)

BOOST_AUTO_TEST_CASE(control_characters_are_shown_not_obeyed) {
    BOOST_TEST(printable("a\x1b[31mred") == "a\\x1B[31mred");
    BOOST_TEST(printable("line\nnext") == "line\\x0Anext");
    BOOST_TEST(printable("line\nnext\ttab", true) == "line\nnext\ttab");
    BOOST_TEST(printable("\xc2\x9b"
                         "2J") == "\\x9B2J"); // C1 CSI
    BOOST_TEST(printable("caf\xc3\xa9 \xe0\xb8\x97") == "caf\xc3\xa9 \xe0\xb8\x97");
    BOOST_TEST(printable("del\x7f") == "del\\x7F");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(pinned_desk_keys)

BOOST_AUTO_TEST_CASE(a_new_key_is_unknown_a_pinned_one_trusted_a_changed_one_refused) {
    temp_dir dir;
    auto pins = pin_store::load(dir.path() / "k.json.pins.json");
    BOOST_REQUIRE(pins.has_value());
    BOOST_TEST(pins->file() == pin_store::beside(dir.path() / "k.json"));
    BOOST_TEST((pins->check("care", "AAAAAAAAAAA", "FP-1") == pin_verdict::unknown));
    pins->add("care", pin{"AAAAAAAAAAA", "FP-1", "care-demo"});
    BOOST_TEST((pins->check("care", "AAAAAAAAAAA", "FP-1") == pin_verdict::pinned));
    BOOST_TEST((pins->check("care", "AAAAAAAAAAA", "FP-2") == pin_verdict::changed));
    BOOST_TEST((pins->check("care", "BBBBBBBBBBB", "FP-1") == pin_verdict::changed));
    BOOST_TEST((pins->check("care", "BBBBBBBBBBB", "FP-3") == pin_verdict::unknown));
    BOOST_TEST((pins->check("police", "AAAAAAAAAAA", "FP-1") == pin_verdict::unknown));
    BOOST_REQUIRE(pins->save().has_value());

    struct stat st {};
    BOOST_REQUIRE(::stat(pins->file().c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u);
    auto again = pin_store::load(pins->file());
    BOOST_REQUIRE(again.has_value());
    BOOST_TEST((again->check("care", "AAAAAAAAAAA", "FP-1") == pin_verdict::pinned));
    BOOST_TEST((again->check("care", "AAAAAAAAAAA", "FP-2") == pin_verdict::changed));
}

BOOST_AUTO_TEST_CASE(a_damaged_pins_file_is_an_error_never_a_fresh_start) {
    temp_dir dir;
    const auto file = dir.path() / "k.json.pins.json";
    for (const std::string text :
         {"not json", R"({"kind":"other","v":1,"desks":{}})", R"({"kind":"signaal-desk-pins"})",
          R"({"kind":"signaal-desk-pins","v":1,"desks":{"care":[{"key_id":"A"}]}})",
          R"({"kind":"signaal-desk-pins","v":1,"desks":{"Bad Desk":[]}})"}) {
        inbox_test::write_file(file, text);
        BOOST_TEST(!pin_store::load(file).has_value(), text);
    }
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

/// A report sealed to one desk as PROTOCOL.md §5 says, served as §6 says.
struct sealed_report {
    json::object served;
    desk_key key;
};

sealed_report make_report(const std::string& text, const std::string& extra_plain = "") {
    auto pair = crypto::box_keygen();
    sealed_report r;
    r.key.desk = "care";
    r.key.public_key = pair.public_key;
    r.key.key_id = crypto::base64url_encode(crypto::key_id_of(pair.public_key));
    r.key.fingerprint = crypto::desk_fingerprint(pair.public_key);
    r.key.granted_by = "care-demo";
    const std::vector<std::string> consent{"police", "care"};
    const std::vector<std::string> desks{"care", "police"};
    const std::string plain =
        json::serialize(json::object{{"v", 1}, {"lang", "nl"}, {"text", text}});
    const std::string with_extra =
        extra_plain.empty() ? plain : plain.substr(0, plain.size() - 1) + "," + extra_plain + "}";
    const std::vector<std::size_t> buckets{1024, 4096};
    const auto padded = crypto::pad(crypto::as_bytes(with_extra), buckets);
    const auto report_key = crypto::random_secret(32);
    const auto nonce = crypto::random_bytes(24);
    const auto ad = crypto::report_ad("sex_worker", "physical_violence", consent, desks);
    const auto ciphertext = crypto::aead_encrypt(*padded, crypto::as_bytes(ad), nonce, report_key);
    const auto sealed = crypto::seal(report_key.view(), pair.public_key);
    r.key.secret_key = std::move(pair.secret_key);
    const auto id = crypto::base64url_encode(crypto::random_bytes(16));
    r.served = json::object{
        {"id", id},
        {"received_day", "2026-11-29"},
        {"role", "sex_worker"},
        {"category", "physical_violence"},
        {"consent", json::array{"care", "police"}},
        {"desks", json::array{"care", "police"}},
        {"sealed_consent", json::array{"care", "police"}},
        {"sealed_desks", json::array{"care", "police"}},
        {"pending", json::array{}},
        {"nonce", crypto::base64url_encode(nonce)},
        {"ciphertext", crypto::base64url_encode(ciphertext)},
        {"envelopes",
         json::object{{"care", json::object{{"key_id", r.key.key_id},
                                            {"sealed", crypto::base64url_encode(sealed)}}}}},
        {"mailbox", false},
        {"status", json::object{{"care", "new"}}}};
    return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(opening_reports)

BOOST_AUTO_TEST_CASE(a_report_opens_to_exactly_the_typed_text) {
    const std::string typed = "Hij sloeg me.\nTweede regel, met é en \xe0\xb8\x97.";
    auto r = make_report(typed);
    key_ring ring;
    ring.add(std::move(r.key));
    const auto opened = open_report(json::value(r.served), ring, {"care"});
    BOOST_REQUIRE_MESSAGE(opened.has_value(), (opened ? std::string() : opened.error().message));
    BOOST_TEST(std::string(opened->plaintext.at("text").as_string()) == typed);
    BOOST_TEST(!opened->reply_keys_differ);
    std::ostringstream out;
    print_report(out, *opened);
    BOOST_TEST(out.str().ends_with("text:\n" + typed + "\n"));
    BOOST_TEST(out.str().find("category: physical_violence") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_key_that_is_not_trusted_is_refused_before_decrypting) {
    auto r = make_report("secret");
    key_ring empty;
    const auto opened = open_report(json::value(r.served), empty, {"care"});
    BOOST_REQUIRE(!opened);
    BOOST_TEST(opened.error().message.find("not a desk key you trust") != std::string::npos);
    BOOST_TEST(opened.error().message.find("secret") == std::string::npos);

    key_ring other_desk; // the right key, filed under another desk
    r.key.desk = "police";
    other_desk.add(std::move(r.key));
    BOOST_TEST(!open_report(json::value(r.served), other_desk, {"care", "police"}).has_value());
}

BOOST_AUTO_TEST_CASE(changed_consent_or_ciphertext_does_not_decrypt) {
    {
        auto r = make_report("text");
        r.served["sealed_consent"] = json::array{"care"}; // the AD no longer matches
        key_ring ring;
        ring.add(std::move(r.key));
        BOOST_TEST(!open_report(json::value(r.served), ring, {"care"}).has_value());
    }
    {
        auto r = make_report("text");
        auto ct = *crypto::base64url_decode(std::string(r.served["ciphertext"].as_string()));
        ct[5] ^= 1;
        r.served["ciphertext"] = crypto::base64url_encode(ct);
        key_ring ring;
        ring.add(std::move(r.key));
        BOOST_TEST(!open_report(json::value(r.served), ring, {"care"}).has_value());
    }
}

BOOST_AUTO_TEST_CASE(served_reply_keys_that_differ_from_the_sealed_ones_are_flagged) {
    auto r = make_report("text", R"("reply":{"box_pk":"AAAA","mailbox_pk":"BBBB"})");
    r.served["mailbox"] = true;
    r.served["reply_box_pk"] = "AAAA";
    r.served["reply_mailbox_pk"] = "CCCC";
    key_ring ring;
    ring.add(std::move(r.key));
    const auto opened = open_report(json::value(r.served), ring, {"care"});
    BOOST_REQUIRE(opened.has_value());
    BOOST_TEST(opened->reply_keys_differ);
    r.served["reply_mailbox_pk"] = "BBBB";
    const auto same = open_report(json::value(r.served), ring, {"care"});
    BOOST_REQUIRE(same.has_value());
    BOOST_TEST(!same->reply_keys_differ);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace signaal::inbox
