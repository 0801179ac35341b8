// How signaal-inbox judges a report's messages, without a server: a reporter
// message counts only when signed with the mailbox key sealed in the report,
// replays are flagged per sender, and a desk's next n counts on from its own.
#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/key_id.hpp"
#include "crypto/random.hpp"
#include "crypto/sealed_message.hpp"
#include "crypto/sign.hpp"
#include "tools/inbox/report_messages.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

namespace signaal::inbox {
namespace {

using crypto::base64url_encode;

struct fixture {
    std::string report_id = base64url_encode(crypto::random_bytes(16));
    crypto::box_keypair care = crypto::box_keygen();
    std::string care_key_id = base64url_encode(crypto::key_id_of(care.public_key));
    crypto::sign_keypair mailbox = crypto::sign_keygen();
    crypto::box_keypair reporter_box = crypto::box_keygen();
    key_ring ring;
    opened_report report;
    std::int64_t next_no = 0;

    fixture() {
        desk_key k;
        k.desk = "care";
        k.key_id = care_key_id;
        k.public_key = care.public_key;
        k.secret_key = crypto::secret_bytes(care.secret_key.view());
        ring.add(std::move(k));
        report.id = report_id;
        report.sealed_mailbox_pk = base64url_encode(mailbox.public_key);
        report.sealed_box_pk = base64url_encode(reporter_box.public_key);
    }

    /// A served message from `sender` to `recipients`, sealed to care; a
    /// reporter's signed with `signer`.
    json::value message(const std::string& sender, std::vector<std::string> recipients,
                        const std::string& text, std::int64_t n,
                        const crypto::secret_bytes* signer = nullptr) {
        const crypto::message_address address{report_id, sender, recipients};
        const auto plain =
            json::serialize(json::object{{"v", 1}, {"lang", "nl"}, {"text", text}, {"n", n}});
        const std::vector<std::size_t> buckets{1024};
        auto body = crypto::seal_message(crypto::as_bytes(plain), address, buckets).value();
        json::object m{
            {"id", "m" + std::to_string(++next_no)},
            {"report_id", report_id},
            {"day", "2026-11-29"},
            {"sender", sender},
            {"recipients", json::array(recipients.begin(), recipients.end())},
            {"nonce", base64url_encode(body.nonce)},
            {"ciphertext", base64url_encode(body.ciphertext)},
            {"envelopes",
             json::object{{"care", json::object{{"key_id", care_key_id},
                                                {"sealed", base64url_encode(crypto::seal_envelope(
                                                               body.key, care.public_key))}}}}}};
        if (signer != nullptr) {
            m["signature"] = base64url_encode(
                crypto::sign_reporter_message(address, body.nonce, body.ciphertext, *signer));
        }
        return m;
    }

    std::vector<opened_message> open(const json::array& messages) const {
        return open_messages(json::object{{"messages", messages}}, report, ring, {"care"});
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(report_messages)

BOOST_AUTO_TEST_CASE(a_reporter_message_counts_only_with_the_sealed_mailbox_key) {
    fixture f;
    const auto other = crypto::sign_keygen();
    const auto opened =
        f.open({f.message("reporter", {"care"}, "van haar", 1, &f.mailbox.secret_key),
                f.message("reporter", {"care"}, "vervalst", 2, &other.secret_key),
                f.message("reporter", {"care"}, "zonder handtekening", 3)});
    BOOST_REQUIRE_EQUAL(opened.size(), 3u);
    BOOST_TEST((opened[0].verdict == message_verdict::verified));
    BOOST_TEST(opened[0].text == "van haar");
    BOOST_TEST(opened[0].n == 1);
    for (std::size_t i : {1u, 2u}) {
        BOOST_TEST((opened[i].verdict == message_verdict::rejected));
        BOOST_TEST(opened[i].text.empty());
    }
    std::ostringstream printed;
    print_messages(printed, opened);
    BOOST_TEST(printed.str().find("vervalst") == std::string::npos, printed.str());
    BOOST_TEST(printed.str().find("zonder handtekening") == std::string::npos);
    BOOST_TEST(printed.str().find("van haar") != std::string::npos);

    // A report without a sealed mailbox key: no reporter message is hers.
    f.report.sealed_mailbox_pk.clear();
    const auto unsealed =
        f.open({f.message("reporter", {"care"}, "van haar", 1, &f.mailbox.secret_key)});
    BOOST_TEST((unsealed[0].verdict == message_verdict::rejected));
}

BOOST_AUTO_TEST_CASE(a_message_moved_to_another_report_does_not_open) {
    fixture f;
    auto moved = f.message("reporter", {"care"}, "elders", 1, &f.mailbox.secret_key);
    f.report.id = base64url_encode(crypto::random_bytes(16)); // read as another report's
    const auto opened = f.open({moved});
    BOOST_TEST((opened[0].verdict == message_verdict::rejected)); // its signature binds the id
}

BOOST_AUTO_TEST_CASE(repeats_and_lower_n_are_flagged_per_sender_and_next_n_counts_on) {
    fixture f;
    const auto* sk = &f.mailbox.secret_key;
    const auto opened = f.open({f.message("reporter", {"care"}, "een", 1, sk),
                                f.message("desk:care", {"care", "reporter"}, "antwoord", 1),
                                f.message("reporter", {"care"}, "drie", 3, sk),
                                f.message("reporter", {"care"}, "drie weer", 3, sk),
                                f.message("reporter", {"care"}, "twee", 2, sk),
                                f.message("desk:care", {"care", "reporter"}, "nog een", 2)});
    BOOST_REQUIRE_EQUAL(opened.size(), 6u);
    BOOST_TEST(opened[0].flag.empty());
    BOOST_TEST(opened[1].flag.empty()); // another sender counts for itself
    BOOST_TEST((opened[1].verdict == message_verdict::desk_reply));
    BOOST_TEST(opened[2].flag.empty()); // a gap is normal
    BOOST_TEST(opened[3].flag.find("repeats") != std::string::npos, opened[3].flag);
    BOOST_TEST(opened[4].flag.find("lower than 3") != std::string::npos, opened[4].flag);
    BOOST_TEST(opened[5].flag.empty());
    BOOST_TEST(next_n(opened, "desk:care") == 3);
    BOOST_TEST(next_n(opened, "desk:police") == 1);
    std::ostringstream printed;
    print_messages(printed, opened);
    BOOST_TEST(printed.str().find("FLAGGED: n 3 repeats") != std::string::npos, printed.str());
}

BOOST_AUTO_TEST_CASE(a_desk_reply_must_go_to_exactly_the_reporter_and_that_desk) {
    fixture f;
    const auto opened = f.open({f.message("desk:police", {"care", "reporter"}, "niet van ons", 1),
                                f.message("desk:care", {"care"}, "zonder haar", 1),
                                f.message("Desk Care", {"care", "reporter"}, "geen afzender", 1)});
    for (const auto& m : opened) {
        BOOST_TEST((m.verdict == message_verdict::rejected), m.sender);
    }
}

BOOST_AUTO_TEST_CASE(a_message_under_a_key_not_trusted_is_unreadable) {
    fixture f;
    auto m = f.message("desk:care", {"care", "reporter"}, "geheim", 1);
    f.ring = key_ring{};
    const auto opened = f.open({m});
    BOOST_TEST((opened[0].verdict == message_verdict::unreadable));
    BOOST_TEST(opened[0].text.empty());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace signaal::inbox
