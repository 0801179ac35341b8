// signaal-inbox and the anonymous follow-up (PROTOCOL.md §7) against the real
// server over TLS on loopback: a caseworker replies, the reporter (the test
// reporter of tests/support) reads the reply and checks it came from the
// desk's key, writes back, and signaal-inbox shows her text as verified. Then
// someone who can write the database (the SQLite file opened beside the
// running server) swaps reply keys, forges and replays messages.
#include "crypto/base64url.hpp"
#include "server/json/json.hpp"
#include "tests/inbox/demo_instance.hpp"
#include "tests/support/https_client.hpp"
#include "tests/support/reporter_mailbox.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>

namespace signaal::inbox_test {
namespace {

using namespace std::chrono_literals;

void pin_once(const demo_instance& demo, const std::string& staff) {
    const auto r = demo.as_trusting(staff, {"login"});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out);
}

std::string hex(const std::vector<std::uint8_t>& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (const auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 0xf];
    }
    return out;
}

/// x'…' of a base64url value, for SQL.
std::string blob(const std::string& b64) {
    return "x'" + hex(crypto::base64url_decode(b64).value()) + "'";
}

std::string report_no(const std::string& id) {
    return "(SELECT no FROM reports WHERE id = " + blob(id) + ")";
}

/// The message id that `signaal-inbox reply` printed.
std::string message_id_in(const std::string& out) {
    const std::string prefix = "message ";
    BOOST_REQUIRE(out.starts_with(prefix));
    return out.substr(prefix.size(), out.find(' ', prefix.size()) - prefix.size());
}

/// What the reporter's page knows: each desk's key by key id.
testing::desk_public_keys known_keys(const std::map<std::string, testing::desk_keypair>& keys) {
    testing::desk_public_keys known;
    for (const auto& [desk, key] : keys) {
        testing::add_desk_key(known, desk, key);
    }
    return known;
}

/// The text block of a message from `sender` as show prints it, or "" when absent.
std::string block_of(const std::string& out, const std::string& text) {
    const auto at = out.find(text);
    if (at == std::string::npos) {
        return {};
    }
    const auto start = out.rfind("--- message ", at);
    return start == std::string::npos ? std::string() : out.substr(start, at - start + text.size());
}

struct mailbox_case {
    demo_instance demo;
    testing::reporter_mailbox her;
    std::string id;
    std::map<std::string, testing::desk_keypair> keys;

    explicit mailbox_case(std::vector<std::string> consent = {"care", "police"}) {
        demo.start();
        pin_once(demo, "care-demo");
        id = demo.submit(consent, "Hij nam mijn telefoon af.", &her);
        keys = demo.desk_keys();
    }

    [[nodiscard]] testing::https_client client() const {
        return {"127.0.0.1", demo.port(), demo.certificate()};
    }

    /// She signs in with her receipt and reads her mailbox's messages.
    json::array her_messages() {
        auto c = client();
        const auto signed_in = her.sign_in(c, demo.url());
        BOOST_REQUIRE_MESSAGE(signed_in.status == 200, signed_in.body);
        return her.mailbox(c).at("messages").as_array();
    }

    /// She writes to care, signed with her mailbox key: the message id.
    std::string she_writes(const std::string& text, std::int64_t n) {
        auto c = client();
        BOOST_REQUIRE(her.sign_in(c, demo.url()).status == 200);
        const auto sent = her.send(c, her.message_to(id, {{"care", &keys.at("care")}}, text, n));
        BOOST_REQUIRE_MESSAGE(sent.status == 201, sent.body);
        return std::string(json::parse(sent.body).value().at("id").as_string());
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(inbox_followup)

BOOST_AUTO_TEST_CASE(a_reply_reaches_the_reporter_from_the_desk_key_and_her_answer_shows_verified) {
    mailbox_case c;
    const auto before = c.demo.as("care-demo", {"show", c.id});
    BOOST_TEST(before.exit_code == 0, before.err);
    BOOST_TEST(before.out.find("mailbox:  yes") != std::string::npos, before.out);
    BOOST_TEST(before.out.find("WARNING") == std::string::npos, before.out);

    const std::string question = "We lazen je melding. In welke straat was het?";
    const auto sent = c.demo.as("care-demo", {"reply", c.id, "--text", question});
    BOOST_REQUIRE_MESSAGE(sent.exit_code == 0, sent.err);
    BOOST_TEST(sent.out.find("from desk care (n 1") != std::string::npos, sent.out);
    const auto reply_id = message_id_in(sent.out);

    // The reporter reads it; the envelope check ties it to care's public key.
    const auto messages = c.her_messages();
    BOOST_REQUIRE_EQUAL(messages.size(), 1u);
    BOOST_TEST(messages.at(0).at("id").as_string() == reply_id);
    const auto known = known_keys(c.keys);
    const auto read = c.her.open(messages.at(0), known);
    BOOST_TEST(read.status == "ok");
    BOOST_TEST(read.sender == "desk:care");
    BOOST_TEST(read.text == question);
    BOOST_TEST(read.n == 1);
    // Under any other desk's key the same envelope does not check out.
    testing::desk_public_keys wrong;
    testing::desk_keypair police_as_care;
    police_as_care.public_key = c.keys.at("police").public_key;
    police_as_care.key_id = c.keys.at("care").key_id;
    testing::add_desk_key(wrong, "care", police_as_care);
    BOOST_TEST(c.her.open(messages.at(0), wrong).status == "unchecked");

    const std::string answer = "Kerkstraat, bij het station.\nTweede regel.";
    c.she_writes(answer, 1);
    const auto shown = c.demo.as("care-demo", {"show", c.id});
    BOOST_TEST(shown.exit_code == 0, shown.err);
    BOOST_TEST(shown.out.find("messages: 2") != std::string::npos, shown.out);
    const auto hers = block_of(shown.out, answer);
    BOOST_TEST(hers.find("from reporter") != std::string::npos, shown.out);
    BOOST_TEST(hers.find(", n 1\n") != std::string::npos, hers);
    BOOST_TEST(hers.find("verdict: verified") != std::string::npos, hers);
    BOOST_TEST(hers.find("FLAGGED") == std::string::npos, hers);
    const auto ours = block_of(shown.out, question);
    BOOST_TEST(ours.find("from desk:care") != std::string::npos, shown.out);
    BOOST_TEST(ours.find("--- message " + reply_id) != std::string::npos, ours);
    BOOST_TEST(shown.out.find("REJECTED") == std::string::npos, shown.out);

    // The desk's next reply counts on from its own highest n.
    const auto second = c.demo.as("care-demo", {"reply", c.id, "--text", "Dank je."});
    BOOST_TEST(second.exit_code == 0, second.err);
    BOOST_TEST(second.out.find("(n 2") != std::string::npos, second.out);
    const auto all = c.her_messages();
    BOOST_REQUIRE_EQUAL(all.size(), 3u);
    const auto last = c.her.open(all.at(2), known);
    BOOST_TEST(last.status == "ok");
    BOOST_TEST(last.text == "Dank je.");
    BOOST_TEST(last.n == 2);
    BOOST_TEST(c.demo.as("care-demo", {"list"}).out.find("(3 messages)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(someone_who_writes_the_database_cannot_speak_for_her_or_redirect_replies) {
    mailbox_case c;
    c.she_writes("echt van mij", 1);

    // A copy of her genuine message: its signature holds, its n repeats.
    c.demo.sql("INSERT INTO messages SELECT (SELECT max(no) + 1 FROM messages), randomblob(16), "
               "report_no, day, sender, recipients, nonce, ciphertext, signature FROM messages "
               "WHERE report_no = " +
               report_no(c.id) +
               "; INSERT INTO message_envelopes SELECT (SELECT max(no) FROM messages), "
               "recipient, key_id, sealed, nonce, box FROM message_envelopes WHERE message_no = "
               "(SELECT min(no) FROM messages WHERE report_no = " +
               report_no(c.id) + ")");
    const auto replayed = c.demo.as("care-demo", {"show", c.id});
    BOOST_TEST(replayed.exit_code == 0, replayed.err);
    BOOST_TEST(count_of(replayed.out, "verdict: verified") == 2u, replayed.out);
    BOOST_TEST(count_of(replayed.out, "FLAGGED: n 1 repeats one already seen from reporter") == 1u,
               replayed.out);

    // A message "from reporter" made by someone else: sealed to care, and
    // signed, but with another mailbox key than the one sealed in the report.
    testing::reporter_mailbox forger;
    const auto forged =
        forger.message_to(c.id, {{"care", &c.keys.at("care")}}, "vals bericht", 2, false);
    const auto& care_envelope = forged.at("envelopes").at("care");
    c.demo.sql("INSERT INTO messages VALUES ((SELECT max(no) + 1 FROM messages), "
               "randomblob(16), " +
               report_no(c.id) +
               ", (SELECT received_day FROM reports WHERE no = " + report_no(c.id) +
               "), 'reporter', 'care', " + blob(std::string(forged.at("nonce").as_string())) +
               ", " + blob(std::string(forged.at("ciphertext").as_string())) + ", " +
               blob(std::string(forged.at("signature").as_string())) +
               "); INSERT INTO message_envelopes VALUES ((SELECT max(no) FROM messages), "
               "'care', " +
               blob(std::string(care_envelope.at("key_id").as_string())) + ", " +
               blob(std::string(care_envelope.at("sealed").as_string())) + ", NULL, NULL)");
    const auto rejected = c.demo.as("care-demo", {"show", c.id});
    BOOST_TEST(rejected.exit_code == 0, rejected.err);
    BOOST_TEST(rejected.out.find("vals bericht") == std::string::npos, rejected.out);
    BOOST_TEST(count_of(rejected.out, "verdict: REJECTED: its signature does not verify against "
                                      "the mailbox key sealed in the report") == 1u,
               rejected.out);
    BOOST_TEST(rejected.out.find("echt van mij") != std::string::npos);

    // Now the served reply keys are swapped for the forger's: the desk client
    // still checks against the sealed key, marks the report and will not reply.
    c.demo.sql("UPDATE reports SET reply_box_pk = x'" + hex(forger.keys().box.public_key) +
               "', reply_mailbox_pk = x'" + hex(forger.keys().mailbox.public_key) +
               "' WHERE no = " + report_no(c.id));
    const auto swapped = c.demo.as("care-demo", {"show", c.id});
    BOOST_TEST(swapped.exit_code == 0, swapped.err);
    BOOST_TEST(swapped.out.find("WARNING:  the reply keys the server serves are not the ones the "
                                "reporter sealed") != std::string::npos,
               swapped.out);
    BOOST_TEST(swapped.out.find("vals bericht") == std::string::npos, swapped.out);
    BOOST_TEST(swapped.out.find("verdict: REJECTED") != std::string::npos, swapped.out);
    const auto refused = c.demo.as("care-demo", {"reply", c.id, "--text", "naar wie?"});
    BOOST_TEST(refused.exit_code == 3, refused.err);
    BOOST_TEST(refused.err.find("not the ones the reporter sealed") != std::string::npos,
               refused.err);
    BOOST_TEST(refused.out.empty());
    // Nothing was stored: her mailbox (under the sealed keys) holds no reply.
    testing::reporter_mailbox& her = c.her;
    auto client = c.client();
    (void)her.sign_in(client, c.demo.url());
    const auto view = her.read(client);
    BOOST_TEST(view.body.find("desk:care") == std::string::npos, view.body);
}

BOOST_AUTO_TEST_CASE(reply_refuses_bad_input_with_a_sentence_and_sends_nothing) {
    mailbox_case c;
    const auto without_mailbox = c.demo.submit({"care"}, "geen antwoord gewenst");
    const auto unknown = c.demo.as("care-demo", {"reply", "AAAAAAAAAAAAAAAAAAAAAA", "--text", "x"});
    BOOST_TEST(unknown.exit_code == 1, unknown.err);
    BOOST_TEST(unknown.err.find("HTTP 404") != std::string::npos, unknown.err);

    const auto no_mailbox = c.demo.as("care-demo", {"reply", without_mailbox, "--text", "hallo"});
    BOOST_TEST(no_mailbox.exit_code == 2, no_mailbox.err);
    BOOST_TEST(no_mailbox.err.find("has no mailbox") != std::string::npos, no_mailbox.err);

    const auto other_desk =
        c.demo.as("care-demo", {"reply", c.id, "--desk", "police", "--text", "hallo"});
    BOOST_TEST(other_desk.exit_code == 2, other_desk.err);
    BOOST_TEST(other_desk.err.find("not one of your desks") != std::string::npos, other_desk.err);
    const auto not_a_desk =
        c.demo.as("care-demo", {"reply", c.id, "--desk", "No Desk", "--text", "hallo"});
    BOOST_TEST(not_a_desk.exit_code == 2, not_a_desk.err);

    const auto empty = c.demo.as("care-demo", {"reply", c.id, "--text", ""});
    BOOST_TEST(empty.exit_code == 2, empty.err);
    BOOST_TEST(empty.err.find("the text is empty") != std::string::npos, empty.err);

    // A caseworker of care without a grant of its key.
    c.demo.add_caseworker("care-new", "care");
    const auto no_key = c.demo.as("care-new", {"reply", c.id, "--text", "hallo"});
    BOOST_TEST(no_key.exit_code == 3, no_key.err);

    for (const auto* r : {&unknown, &no_mailbox, &other_desk, &not_a_desk, &empty, &no_key}) {
        BOOST_TEST(r->out.empty(), r->out);
        BOOST_TEST(r->err.starts_with("signaal-inbox: "), r->err);
    }
    BOOST_TEST(c.her_messages().empty());
}

BOOST_AUTO_TEST_CASE(follow_prints_her_messages_and_her_withdrawal) {
    mailbox_case c;
    auto args = c.demo.connection("care-demo");
    args.emplace_back("follow");
    background follow(SIGNAAL_INBOX_BIN, args);
    BOOST_REQUIRE_MESSAGE(follow.wait_for("Following care", 30s), follow.output());

    c.she_writes("live bericht", 1);
    BOOST_REQUIRE_MESSAGE(follow.wait_for("live bericht", 30s), follow.output());
    c.she_writes("tweede bericht", 2);
    BOOST_REQUIRE_MESSAGE(follow.wait_for("tweede bericht", 30s), follow.output());

    auto client = c.client();
    BOOST_REQUIRE(c.her.sign_in(client, c.demo.url()).status == 200);
    BOOST_REQUIRE_EQUAL(c.her.withdraw(client, c.id).status, 204u);
    BOOST_REQUIRE_MESSAGE(follow.wait_for("the reporter withdrew report " + c.id, 30s),
                          follow.output());

    const auto out = follow.output();
    BOOST_TEST(count_of(out, "=== new message for desk care") == 2u, out);
    BOOST_TEST(count_of(out, "live bericht") == 1u, out);
    BOOST_TEST(count_of(out, "tweede bericht") == 1u, out);
    BOOST_TEST(count_of(out, "verdict: verified") == 2u, out);
    follow.signal(SIGINT);
    BOOST_TEST(follow.wait() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace signaal::inbox_test
