// signaal-inbox and stepped consent (PROTOCOL.md §7) against the real server
// over TLS on loopback: a report goes to care only, the reporter (the test
// reporter of tests/support) adds police with her signed change, a care
// caseworker forwards with `signaal-inbox forward`, and police reads exactly
// her text with her change verified. Then someone who can write the database
// inserts a change of their own, and forward refuses and sends nothing; and a
// police key that is not pinned, or pinned with another fingerprint, is
// refused without a terminal.
#include "crypto/base64url.hpp"
#include "crypto/consent_signature.hpp"
#include "crypto/desk_fingerprint.hpp"
#include "crypto/random.hpp"
#include "crypto/sign.hpp"
#include "server/json/json.hpp"
#include "tests/inbox/demo_instance.hpp"
#include "tests/support/https_client.hpp"
#include "tests/support/reporter_mailbox.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>

namespace signaal::inbox_test {
namespace {

using namespace std::chrono_literals;

const std::string her_text = "Hij nam mijn telefoon af.\nDe politie mag het weten.";

std::string hex(const std::vector<std::uint8_t>& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (const auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 0xf];
    }
    return out;
}

std::string report_no(const std::string& id) {
    return "(SELECT no FROM reports WHERE id = x'" + hex(crypto::base64url_decode(id).value()) +
           "')";
}

bool has(const std::string& in, const std::string& text) {
    return in.find(text) != std::string::npos;
}

struct consent_case {
    demo_instance demo;
    testing::reporter_mailbox her;
    std::string id;

    consent_case() {
        demo.start();
        for (const auto* staff : {"care-demo", "police-demo"}) {
            const auto pinned = demo.as_trusting(staff, {"login"});
            BOOST_REQUIRE_MESSAGE(pinned.exit_code == 0, pinned.out);
        }
        id = demo.submit({"care"}, her_text, &her);
    }

    [[nodiscard]] testing::https_client client() const {
        return {"127.0.0.1", demo.port(), demo.certificate()};
    }

    /// She signs in with her receipt and signs a change.
    testing::http_reply she_changes(std::int64_t change, const std::vector<std::string>& add,
                                    const std::vector<std::string>& remove) {
        auto c = client();
        const auto signed_in = her.sign_in(c, demo.url());
        BOOST_REQUIRE_MESSAGE(signed_in.status == 200, signed_in.body);
        return her.change_consent(c, id, change, add, remove);
    }

    /// Police cannot read the report yet: it waits for a care caseworker.
    void police_still_waits() const { police_still_waits(id); }
    void police_still_waits(const std::string& report) const {
        const auto police = demo.as("police-demo", {"show", report});
        BOOST_TEST(police.exit_code == 3, police.err);
        BOOST_TEST(has(police.err, "is pending for desk police"), police.err);
        BOOST_TEST(!has(police.out, her_text), police.out);
        const auto care = demo.as("care-demo", {"show", report});
        BOOST_TEST(care.exit_code == 0, care.err);
        BOOST_TEST(has(care.out, "desks:    care\n"), care.out);
        const auto pending_at = care.out.find("\npending:  ");
        BOOST_REQUIRE(pending_at != std::string::npos);
        const auto pending =
            care.out.substr(pending_at, care.out.find('\n', pending_at + 1) - pending_at);
        BOOST_TEST(has(pending, "police"), care.out);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(inbox_consent)

BOOST_AUTO_TEST_CASE(she_adds_police_care_forwards_and_police_reads_her_text_and_her_change) {
    consent_case c;
    const auto before = c.demo.as("police-demo", {"show", c.id});
    BOOST_TEST(before.exit_code == 1, before.err);
    BOOST_TEST(has(before.err, "HTTP 404"), before.err);

    const auto changed = c.she_changes(1, {"police"}, {});
    BOOST_REQUIRE_MESSAGE(changed.status == 200, changed.body);

    const auto care = c.demo.as("care-demo", {"show", c.id});
    BOOST_TEST(care.exit_code == 0, care.err);
    BOOST_TEST(has(care.out, "consent:  care, police\n"), care.out);
    BOOST_TEST(has(care.out, "pending:  police\n"), care.out);
    BOOST_TEST(has(care.out, ", add police, remove -: verified (signed with the mailbox key "
                             "sealed in the report)\n"),
               care.out);
    BOOST_TEST(has(care.out, "consent history: verified (1 change replay"), care.out);
    BOOST_TEST(!has(care.out, "WARNING"), care.out);
    c.police_still_waits();

    // Without a terminal, police's key (never pinned by this caseworker) is refused.
    const auto unpinned = c.demo.as("care-demo", {"forward", c.id});
    BOOST_TEST(unpinned.exit_code == 3, unpinned.err);
    BOOST_TEST(has(unpinned.err, "Key of desk police to seal the report to: key id"), unpinned.err);
    BOOST_TEST(has(unpinned.err, "it is not pinned yet, and there is no terminal"), unpinned.err);
    BOOST_TEST(has(unpinned.err, "nothing was forwarded"), unpinned.err);
    BOOST_TEST(unpinned.out.empty(), unpinned.out);
    c.police_still_waits();

    // On a terminal she compares the fingerprint and accepts it: sealed and posted.
    const auto keys = c.demo.desk_keys();
    const auto& police_key = keys.at("police");
    const auto fingerprint = crypto::desk_fingerprint(police_key.public_key);
    const auto forwarded = c.demo.as_trusting("care-demo", {"forward", c.id});
    BOOST_REQUIRE_MESSAGE(forwarded.exit_code == 0, forwarded.out);
    BOOST_TEST(has(forwarded.out, "fingerprint " + fingerprint), forwarded.out);
    BOOST_TEST(has(forwarded.out, "report " + c.id + ": sealed to desk police (key id " +
                                      crypto::base64url_encode(police_key.key_id) +
                                      ", fingerprint " + fingerprint + ")"),
               forwarded.out);
    BOOST_TEST(has(forwarded.out, "report " + c.id + ": desks care, police; pending -"),
               forwarded.out);

    // Police decrypts exactly her text and verifies her change in its own client.
    const auto police = c.demo.as("police-demo", {"show", c.id});
    BOOST_REQUIRE_MESSAGE(police.exit_code == 0, police.err);
    BOOST_TEST(has(police.out, "\ntext:\n" + her_text + "\n"), police.out);
    BOOST_TEST(has(police.out, "desks:    care, police\n"), police.out);
    BOOST_TEST(has(police.out, "pending:  -\n"), police.out);
    BOOST_TEST(has(police.out, "key:      desk police"), police.out);
    BOOST_TEST(has(police.out, ", add police, remove -: verified"), police.out);
    BOOST_TEST(has(police.out, "consent history: verified"), police.out);
    BOOST_TEST(!has(police.out, "WARNING"), police.out);
    BOOST_TEST(has(c.demo.as("police-demo", {"list"}).out, c.id));

    // Nothing is pending any more; the police key is pinned now, without a terminal too.
    const auto again = c.demo.as("care-demo", {"forward", c.id});
    BOOST_TEST(again.exit_code == 0, again.err);
    BOOST_TEST(has(again.out, "no desk is pending; nothing to forward"), again.out);
    BOOST_TEST(has(read_file(c.demo.staff_key("care-demo").string() + ".pins.json"),
                   "\"fingerprint\":\"" + fingerprint + "\""));

    // She adds municipality too; --desk names one pending desk, and only a pending one.
    BOOST_REQUIRE(c.she_changes(2, {"municipality"}, {}).status == 200);
    const auto not_pending = c.demo.as("care-demo", {"forward", c.id, "--desk", "police"});
    BOOST_TEST(not_pending.exit_code == 2, not_pending.err);
    BOOST_TEST(has(not_pending.err, "desk police is not pending for report"), not_pending.err);
    const auto municipality =
        c.demo.as_trusting("police-demo", {"forward", c.id, "--desk", "municipality"});
    BOOST_TEST(municipality.exit_code == 0, municipality.out);
    BOOST_TEST(has(municipality.out, "desks care, municipality, police; pending -"),
               municipality.out);
}

BOOST_AUTO_TEST_CASE(a_change_written_into_the_database_makes_forward_refuse_and_send_nothing) {
    consent_case c;
    // Someone who can write the database adds police for her: a change with a
    // signature that is not hers, and police pending.
    const auto forged_signature = crypto::random_bytes(64);
    c.demo.sql("INSERT INTO consent_changes VALUES (" + report_no(c.id) +
               ", 1, (SELECT received_day FROM reports WHERE no = " + report_no(c.id) +
               "), 'police', '', x'" + hex(forged_signature) +
               "'); INSERT INTO pending_desks VALUES (" + report_no(c.id) + ", 'police')");
    const auto shown = c.demo.as("care-demo", {"show", c.id});
    BOOST_TEST(shown.exit_code == 0, shown.err);
    BOOST_TEST(has(shown.out, "pending:  police\n"), shown.out);
    BOOST_TEST(has(shown.out, ", add police, remove -: REJECTED: its signature does not verify "
                              "against the mailbox key sealed in the report\n"),
               shown.out);
    BOOST_TEST(has(shown.out, "WARNING:  the consent history does not hold; do not forward"),
               shown.out);

    const auto refused = c.demo.as_trusting("care-demo", {"forward", c.id});
    BOOST_TEST(refused.exit_code == 3, refused.out);
    BOOST_TEST(has(refused.out, "change 1: its signature does not verify"), refused.out);
    BOOST_TEST(has(refused.out, "refused to forward report " + c.id), refused.out);
    BOOST_TEST(has(refused.out, "nothing was forwarded"), refused.out);
    BOOST_TEST(!has(refused.out, "Trust this key"), refused.out); // it never got that far
    BOOST_TEST(!has(refused.out, "sealed to desk"), refused.out);
    c.police_still_waits();

    // Signed with a key of the writer's own, served as her reply key too: the
    // client checks against the key sealed inside the report, and refuses.
    testing::reporter_mailbox writer;
    const std::vector<std::string> add{"police"};
    const std::vector<std::string> none;
    const auto writer_signature = crypto::sign_detached(
        crypto::consent_signed_bytes(c.id, 1, add, none), writer.keys().mailbox.secret_key);
    c.demo.sql("UPDATE consent_changes SET signature = x'" + hex(writer_signature) +
               "' WHERE report_no = " + report_no(c.id) +
               "; UPDATE reports SET reply_mailbox_pk = x'" +
               hex(writer.keys().mailbox.public_key) + "' WHERE no = " + report_no(c.id));
    const auto foreign = c.demo.as("care-demo", {"forward", c.id});
    BOOST_TEST(foreign.exit_code == 3, foreign.err);
    BOOST_TEST(has(foreign.err, "change 1: its signature does not verify against the mailbox key "
                                "sealed in the report"),
               foreign.err);
    BOOST_TEST(foreign.out.empty(), foreign.out);
    c.police_still_waits();
}

BOOST_AUTO_TEST_CASE(a_genuine_change_with_a_served_consent_it_does_not_give_is_refused) {
    consent_case c;
    BOOST_REQUIRE(c.she_changes(1, {"police"}, {}).status == 200);
    // The writer slips municipality into pending beside her genuine change.
    c.demo.sql("INSERT INTO pending_desks VALUES (" + report_no(c.id) + ", 'municipality')");
    const auto refused = c.demo.as("care-demo", {"forward", c.id, "--desk", "police"});
    BOOST_TEST(refused.exit_code == 3, refused.err);
    BOOST_TEST(has(refused.err, ", add police, remove -: verified"), refused.err);
    BOOST_TEST(has(refused.err, "replaying the changes from the sealed desks gives care, police, "
                                "but the server serves desks care and pending municipality, "
                                "police"),
               refused.err);
    BOOST_TEST(refused.out.empty(), refused.out);
    c.police_still_waits();
}

BOOST_AUTO_TEST_CASE(a_police_key_pinned_with_another_fingerprint_is_refused) {
    consent_case c;
    BOOST_REQUIRE(c.she_changes(1, {"police"}, {}).status == 200);
    // The caseworker once pinned police's key id with another fingerprint
    // (the server now serves another key under that id).
    const auto pins_file = c.demo.staff_key("care-demo").string() + ".pins.json";
    auto pins = json::parse(read_file(pins_file)).value();
    const auto police_key_id = crypto::base64url_encode(c.demo.desk_keys().at("police").key_id);
    const auto other = crypto::desk_fingerprint(crypto::random_bytes(32));
    pins.as_object()["desks"].as_object()["police"] = json::array{
        json::object{{"key_id", police_key_id}, {"fingerprint", other}, {"granted_by", "config"}}};
    write_file(pins_file, json::serialize(pins));
    for (const auto& refused : {c.demo.as("care-demo", {"forward", c.id}),
                                c.demo.as_trusting("care-demo", {"forward", c.id})}) {
        BOOST_TEST(refused.exit_code == 3, refused.err + refused.out);
        BOOST_TEST(has(refused.err + refused.out,
                       "REFUSED desk key " + police_key_id + " of police: its fingerprint is"),
                   refused.err + refused.out);
        BOOST_TEST(has(refused.err + refused.out, "not the pinned " + other),
                   refused.err + refused.out);
        BOOST_TEST(!has(refused.out, "sealed to desk"), refused.out);
    }
    c.police_still_waits();
}

BOOST_AUTO_TEST_CASE(a_police_key_rotated_since_it_was_pinned_is_asked_about_again) {
    consent_case c;
    BOOST_REQUIRE(c.she_changes(1, {"police"}, {}).status == 200);
    const auto first = c.demo.as_trusting("care-demo", {"forward", c.id});
    BOOST_REQUIRE_MESSAGE(first.exit_code == 0, first.out);
    const auto rotated = c.demo.as("police-demo", {"desk", "rotate", "--desk", "police"});
    BOOST_REQUIRE_MESSAGE(rotated.exit_code == 0, rotated.err);

    // Another reporter adds police to her report; police's key is new to care now.
    testing::reporter_mailbox other;
    const std::string other_text = "Een tweede melding.";
    const auto id = c.demo.submit({"care"}, other_text, &other);
    auto client = c.client();
    BOOST_REQUIRE(other.sign_in(client, c.demo.url()).status == 200);
    BOOST_REQUIRE(other.change_consent(client, id, 1, {"police"}, {}).status == 200);
    const auto stale = c.demo.as("care-demo", {"forward", id});
    BOOST_TEST(stale.exit_code == 3, stale.err);
    BOOST_TEST(has(stale.err, "it is not pinned yet, and there is no terminal"), stale.err);
    BOOST_TEST(stale.out.empty(), stale.out);
    c.police_still_waits(id);

    const auto new_key = crypto::base64url_encode(c.demo.desk_keys().at("police").key_id);
    const auto accepted = c.demo.as_trusting("care-demo", {"forward", id});
    BOOST_REQUIRE_MESSAGE(accepted.exit_code == 0, accepted.out);
    BOOST_TEST(has(accepted.out, "sealed to desk police (key id " + new_key), accepted.out);
    const auto police = c.demo.as_trusting("police-demo", {"show", id});
    BOOST_TEST(police.exit_code == 0, police.out);
    const bool shown =
        has(police.out, "\ntext:\r\n" + other_text) || has(police.out, "\ntext:\n" + other_text);
    BOOST_TEST(shown, police.out);
}

BOOST_AUTO_TEST_CASE(follow_shows_her_change_checked_and_what_waits) {
    consent_case c;
    auto args = c.demo.connection("care-demo");
    args.emplace_back("follow");
    background follow(SIGNAAL_INBOX_BIN, args);
    BOOST_REQUIRE_MESSAGE(follow.wait_for("Following care", 30s), follow.output());
    BOOST_REQUIRE(c.she_changes(1, {"police"}, {}).status == 200);
    BOOST_REQUIRE_MESSAGE(follow.wait_for("consent history: verified", 30s), follow.output());
    const auto out = follow.output();
    BOOST_TEST(has(out, "=== consent changed for desk care #"), out);
    BOOST_TEST(has(out, "on report " + c.id +
                            "\nconsent:  care, police\ndesks:    care\n"
                            "pending:  police\n"),
               out);
    BOOST_TEST(has(out, ", add police, remove -: verified"), out);
    BOOST_TEST(has(out, "(seal it to the pending desks with: signaal-inbox forward " + c.id + ")"),
               out);
    follow.signal(SIGINT);
    BOOST_TEST(follow.wait() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace signaal::inbox_test
