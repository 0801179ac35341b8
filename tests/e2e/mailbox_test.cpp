// The anonymous follow-up over TLS on loopback (PROTOCOL.md §7): mailbox
// sign-in with the instance's origin, the mailbox view, messages both ways
// with every refusal, scoped tokens, and a withdrawal that leaves no byte of
// what it deleted in the database file or its WAL.
#include "crypto/base64url.hpp"
#include "crypto/random.hpp"
#include "crypto/sign_in_message.hpp"
#include "server/config/settings.hpp"
#include "server/stats/configured_policy.hpp"
#include "server/stats/quarter_counts.hpp"
#include "server/store/database.hpp"
#include "server/store/statement.hpp"
#include "tests/e2e/admin_runner.hpp"
#include "tests/e2e/helpers.hpp"
#include "tests/e2e/staff_instance.hpp"
#include "tests/support/reporter_mailbox.hpp"
#include "tests/support/staff_member.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

using namespace signaal;
using namespace signaal::testing;

namespace {

using texts = std::vector<std::string>;
using bytes = std::vector<std::uint8_t>;

bytes file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool holds(const bytes& haystack, const bytes& needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
           haystack.end();
}

bytes b64(const json::value& v) {
    return crypto::base64url_decode(v.as_string()).value();
}

struct mailbox_fixture {
    staff_instance instance;
    https_client client = instance.client();
    std::string care = instance.caseworker("care-1", {"care"});
    std::string care_2 = instance.caseworker("care-2", {"care"});
    std::string police = instance.caseworker("police-1", {"police"});
    std::string municipality = instance.caseworker("muni-1", {"municipality"});
    desk_public_keys known;

    mailbox_fixture() {
        for (const std::string desk : {"care", "police", "municipality"}) {
            add_desk_key(known, desk, instance.key(desk));
        }
    }

    // A report with reply keys to these desks (routed: physical_violence); its id.
    std::string report(const reporter_mailbox& reporter, std::vector<std::string> consent,
                       const std::string& text) {
        report_input in;
        in.consent = consent;
        std::sort(consent.begin(), consent.end());
        in.desks = consent;
        in.plaintext = plaintext(text);
        for (const auto& desk : in.desks) {
            in.keys[desk] = &instance.key(desk);
        }
        in.reply_box_pk = reporter.keys().box.public_key;
        in.reply_mailbox_pk = reporter.keys().mailbox.public_key;
        const auto reply = instance.submit(client, build_report(in));
        BOOST_REQUIRE_EQUAL(reply.status, 201u);
        return std::string(parse_body(reply).at("id").as_string());
    }

    void sign_in(reporter_mailbox& reporter) {
        const auto reply = reporter.sign_in(client, instance.origin());
        BOOST_REQUIRE_EQUAL(reply.status, 200u);
    }

    http_reply get(const std::string& target, const std::string& token) {
        return with_token(client, "GET", target, token);
    }
    http_reply post(const std::string& target, const json::object& body, const std::string& token) {
        return with_token(client, "POST", target, token, json::serialize(body));
    }
    http_reply reply_to(const std::string& id, const json::object& body, const std::string& token) {
        return post("/api/v1/reports/" + id + "/messages", body, token);
    }

    texts inbox(const std::string& desk, const std::string& token) {
        const auto reply = get("/api/v1/inbox?desk=" + desk, token);
        BOOST_REQUIRE_EQUAL(reply.status, 200u);
        texts lines;
        const auto doc = parse_body(reply); // named: a range-for keeps no temporary alive
        for (const auto& e : doc.at("events").as_array()) {
            lines.push_back(std::string(e.at("report_id").as_string()) + " " +
                            std::string(e.at("kind").as_string()));
        }
        return lines;
    }

    // The events the stream replays to `token` for `desk` before "ready".
    texts streamed(const std::string& token) {
        auto stream = instance.stream();
        stream.send(json::serialize(json::object{{"type", "auth"}, {"token", token}}));
        texts lines;
        for (;;) {
            const auto m = stream.read();
            BOOST_REQUIRE(!m.closed);
            const auto doc = json::parse(m.text).value();
            if (doc.at("type").as_string() == "ready") {
                break;
            }
            lines.push_back(std::string(doc.at("report_id").as_string()) + " " +
                            std::string(doc.at("kind").as_string()));
        }
        stream.close();
        return lines;
    }

    std::int64_t scalar(const std::string& sql, const std::string& id_b64 = {}) {
        auto db = store::database::open(instance.database(), store::open_mode::read_only);
        BOOST_REQUIRE(db.has_value());
        auto st = store::statement::prepare(*db, sql);
        BOOST_REQUIRE_MESSAGE(st.has_value(), st.error().message);
        if (!id_b64.empty()) {
            st->bind(1, crypto::base64url_decode(id_b64).value());
        }
        auto row = st->step();
        BOOST_REQUIRE(row.has_value() && *row);
        return st->column_is_null(0) ? -1 : st->column_int64(0);
    }

    json::value view(const std::string& id, const std::string& token) {
        const auto reply = get("/api/v1/reports/" + id, token);
        BOOST_REQUIRE_EQUAL(reply.status, 200u);
        return parse_body(reply);
    }
};

std::string random_id() {
    return crypto::base64url_encode(crypto::random_bytes(16));
}

std::map<std::string, const desk_keypair*> keys_of(const staff_instance& instance,
                                                   const texts& desks) {
    std::map<std::string, const desk_keypair*> out;
    for (const auto& d : desks) {
        out[d] = &instance.key(d);
    }
    return out;
}

texts envelope_names(const json::value& message) {
    texts names;
    for (const auto& [name, e] : message.at("envelopes").as_object()) {
        names.emplace_back(name);
    }
    return names;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(mailbox, mailbox_fixture)

BOOST_AUTO_TEST_CASE(a_reply_and_a_follow_up_go_both_ways) {
    reporter_mailbox reporter;
    const auto id = report(reporter, {"care", "police"}, "he took my passport");
    sign_in(reporter);

    // Her report, its desks and their status; nothing written yet.
    auto box = reporter.mailbox(client);
    BOOST_REQUIRE_EQUAL(box.at("reports").as_array().size(), 1u);
    const auto& mine = box.at("reports").as_array().at(0);
    BOOST_TEST(mine.at("id").as_string() == id);
    BOOST_TEST(mine.at("received_day").as_string() == today());
    BOOST_TEST(mine.at("category").as_string() == "physical_violence");
    BOOST_TEST(mine.at("desks") == (json::value(json::array{"care", "police"})));
    BOOST_TEST(mine.at("pending").as_array().empty());
    BOOST_TEST(mine.at("status") ==
               (json::value(json::object{{"care", "new"}, {"police", "new"}})));
    BOOST_TEST(box.at("messages").as_array().empty());

    // Care answers; the served reply keys are hers.
    const auto care_view = view(id, care);
    BOOST_TEST(care_view.at("mailbox").as_bool());
    BOOST_TEST(b64(care_view.at("reply_box_pk")) == reporter.keys().box.public_key);
    BOOST_TEST(b64(care_view.at("reply_mailbox_pk")) == reporter.keys().mailbox.public_key);
    const auto answered =
        reply_to(id,
                 desk_reply(id, "care", instance.key("care"), reporter.keys().box.public_key,
                            "Can you tell us where?", 1),
                 care);
    BOOST_REQUIRE_EQUAL(answered.status, 201u);
    const auto answer = parse_body(answered);
    BOOST_TEST(answer.at("day").as_string() == today());
    BOOST_TEST(b64(answer.at("id")).size() == 16u);

    // She reads it, checked against care's key; she writes back to care only.
    box = reporter.mailbox(client);
    BOOST_REQUIRE_EQUAL(box.at("messages").as_array().size(), 1u);
    const auto& served = box.at("messages").as_array().at(0);
    BOOST_TEST(served.at("id") == answer.at("id"));
    BOOST_TEST(served.at("report_id").as_string() == id);
    BOOST_TEST(served.at("sender").as_string() == "desk:care");
    BOOST_TEST(served.at("recipients") == (json::value(json::array{"care", "reporter"})));
    BOOST_TEST(envelope_names(served) == (texts{"reporter"}));
    BOOST_TEST(json::find(served, "signature") == nullptr);
    const auto opened = reporter.open(served, known);
    BOOST_TEST(opened.status == "ok");
    BOOST_TEST(opened.text == "Can you tell us where?");
    BOOST_TEST(opened.n == 1);
    // Under another desk's key the same reply is never care's.
    desk_public_keys wrong;
    add_desk_key(wrong, "police", instance.key("police"));
    BOOST_TEST(reporter.open(served, wrong).status == "unchecked");

    const auto sent = reporter.send(
        client, reporter.message_to(id, keys_of(instance, {"care"}), "At the station.", 1));
    BOOST_REQUIRE_EQUAL(sent.status, 201u);
    BOOST_TEST(parse_body(sent).at("day").as_string() == today());

    // Care sees both, police neither; care's colleague sees care's reply.
    BOOST_TEST(inbox("care", care) == (texts{id + " report", id + " message", id + " message"}));
    BOOST_TEST(inbox("police", police) == (texts{id + " report"}));
    for (const auto& token : {care, care_2}) {
        const auto doc = view(id, token);
        const auto& messages = doc.at("messages").as_array();
        BOOST_REQUIRE_EQUAL(messages.size(), 2u);
        BOOST_TEST(envelope_names(messages.at(0)) == (texts{"care"}));
        BOOST_TEST(envelope_names(messages.at(1)) == (texts{"care"}));
        BOOST_TEST(messages.at(1).at("sender").as_string() == "reporter");
        BOOST_TEST(messages.at(1).at("recipients") ==
                   (json::value(json::array{"care", "reporter"})));
        const auto mailbox_pk = b64(doc.at("reply_mailbox_pk"));
        const auto reply = open_as_desk(messages.at(0), "care", instance.key("care"), mailbox_pk);
        BOOST_TEST(reply.status == "ok");
        BOOST_TEST(reply.text == "Can you tell us where?");
        const auto hers = open_as_desk(messages.at(1), "care", instance.key("care"), mailbox_pk);
        BOOST_TEST(hers.status == "ok");
        BOOST_TEST(hers.text == "At the station.");
        // The signature holds for her key only.
        BOOST_TEST(open_as_desk(messages.at(1), "care", instance.key("care"),
                                reporter_mailbox().keys().mailbox.public_key)
                       .status == "bad_signature");
    }
    BOOST_TEST(view(id, police).at("messages").as_array().empty());

    // She reads her own copy too.
    box = reporter.mailbox(client);
    BOOST_REQUIRE_EQUAL(box.at("messages").as_array().size(), 2u);
    const auto& own = box.at("messages").as_array().at(1);
    BOOST_TEST(envelope_names(own) == (texts{"reporter"}));
    BOOST_TEST(own.at("envelopes").at("reporter").as_object().size() == 1u); // {"sealed"}
    BOOST_TEST(reporter.open(own, known).text == "At the station.");

    // One audit row for care's reply; days only, everywhere.
    BOOST_TEST(scalar("SELECT count(*) FROM audit WHERE action = 'message_sent' AND "
                      "staff = 'care-1' AND report_id = ?1",
                      id) == 1);
    BOOST_TEST(scalar("SELECT count(*) FROM messages WHERE day <> " +
                      std::to_string(scalar("SELECT received_day FROM reports"))) == 0);
}

BOOST_AUTO_TEST_CASE(any_valid_signature_gets_a_token_and_an_unused_receipt_an_empty_mailbox) {
    const auto audit_before = scalar("SELECT count(*) FROM audit");
    reporter_mailbox never_used;
    const auto reply = never_used.sign_in(client, instance.origin());
    BOOST_REQUIRE_EQUAL(reply.status, 200u);
    const auto doc = parse_body(reply);
    BOOST_TEST(doc.at("expires_in").as_int64() > 0);
    BOOST_TEST(doc.at("expires_in").as_int64() <= 1800);
    BOOST_TEST(b64(doc.at("token")).size() == 32u);
    const auto empty = never_used.read(client);
    BOOST_REQUIRE_EQUAL(empty.status, 200u);
    BOOST_TEST(parse_body(empty) == (json::value(json::object{{"reports", json::array{}},
                                                              {"messages", json::array{}}})));

    // A wrong receipt (someone else's, mistyped) for a real report looks the same.
    reporter_mailbox owner;
    report(owner, {"care"}, "mine");
    reporter_mailbox mistyped;
    BOOST_REQUIRE_EQUAL(mistyped.sign_in(client, instance.origin()).status, 200u);
    BOOST_TEST(mistyped.read(client).body == empty.body);

    // Refused: another origin, a reused challenge, a forged signature, a bad shape.
    reporter_mailbox other;
    BOOST_TEST(other.sign_in(client, "https://signaal.example.org").status == 401u);
    BOOST_TEST(other.sign_in(client, "https://localhost:1").status == 401u);
    const auto challenge = fetch_challenge(client);
    const auto sign = [&](const reporter_mailbox& who, const bytes& signed_challenge) {
        return json::serialize(json::object{
            {"mailbox_pk", crypto::base64url_encode(who.keys().mailbox.public_key)},
            {"challenge", crypto::base64url_encode(challenge)},
            {"signature", crypto::base64url_encode(crypto::sign_detached(
                              crypto::mailbox_sign_in_message(instance.origin(), signed_challenge),
                              who.keys().mailbox.secret_key))}});
    };
    // Signed by a key other than the one named.
    auto forged = json::parse(sign(owner, challenge)).value();
    forged.as_object()["mailbox_pk"] = crypto::base64url_encode(other.keys().mailbox.public_key);
    BOOST_TEST(client.post_json("/api/v1/auth/mailbox", json::serialize(forged)).status == 401u);
    // The challenge went with that refusal: a good signature over it is refused too.
    BOOST_TEST(client.post_json("/api/v1/auth/mailbox", sign(other, challenge)).status == 401u);
    BOOST_TEST(client.post_json("/api/v1/auth/mailbox", "{}").status == 400u);
    BOOST_TEST(client.request("POST", "/api/v1/auth/mailbox", "{}", "text/plain").status == 415u);
    BOOST_TEST(client.get("/api/v1/auth/mailbox").status == 405u);
    // No sign-in leaves a row anywhere.
    BOOST_TEST(scalar("SELECT count(*) FROM audit") == audit_before);
}

BOOST_AUTO_TEST_CASE(mailbox_and_staff_tokens_open_only_their_own_routes) {
    reporter_mailbox reporter;
    const auto id = report(reporter, {"care"}, "scoped");
    sign_in(reporter);
    const auto& mailbox_token = reporter.token();

    // A mailbox token outside the mailbox: 401 everywhere.
    for (const auto& target : {"/api/v1/inbox?desk=care", "/api/v1/desk-keys"}) {
        BOOST_TEST(get(target, mailbox_token).status == 401u);
    }
    BOOST_TEST(get("/api/v1/reports/" + id, mailbox_token).status == 401u);
    BOOST_TEST(reply_to(id,
                        desk_reply(id, "care", instance.key("care"), reporter.keys().box.public_key,
                                   "x", 1),
                        mailbox_token)
                   .status == 401u);
    // A staff token on the mailbox: 401 everywhere.
    BOOST_TEST(get("/api/v1/mailbox", care).status == 401u);
    BOOST_TEST(post("/api/v1/mailbox/messages",
                    reporter.message_to(id, keys_of(instance, {"care"}), "x", 1), care)
                   .status == 401u);
    BOOST_TEST(with_token(client, "DELETE", "/api/v1/mailbox/reports/" + id, care).status == 401u);
    BOOST_TEST(get("/api/v1/mailbox", "").status == 401u);
    // Logout ends a mailbox token too.
    BOOST_TEST(with_token(client, "POST", "/api/v1/auth/logout", mailbox_token).status == 204u);
    BOOST_TEST(reporter.read(client).status == 401u);
    BOOST_TEST(scalar("SELECT count(*) FROM messages") == 0);
}

BOOST_AUTO_TEST_CASE(a_reporter_message_is_refused_in_the_order_of_section_7) {
    reporter_mailbox reporter;
    const auto id = report(reporter, {"care", "police"}, "refusals");
    reporter_mailbox neighbour;
    const auto other_id = report(neighbour, {"care"}, "not hers");
    sign_in(reporter);
    const auto good = reporter.message_to(id, keys_of(instance, {"care"}), "hello", 1);
    const auto code_of = [&](const json::object& body) {
        const auto r = reporter.send(client, body);
        return std::to_string(r.status) + " " +
               (r.status >= 400 ? error_code_of(r) : std::string("-"));
    };

    // 400: a wrong shape.
    auto broken = good;
    broken["nonce"] = "AAAA";
    BOOST_TEST(code_of(broken) == "400 bad_request");
    broken = good;
    broken["ciphertext"] = crypto::base64url_encode(crypto::random_bytes(100));
    BOOST_TEST(code_of(broken) == "400 bad_request");
    broken = good;
    broken.erase("signature");
    BOOST_TEST(code_of(broken) == "400 bad_request");
    BOOST_TEST(
        with_token(client, "POST", "/api/v1/mailbox/messages", reporter.token(), "[1").status ==
        400u);
    BOOST_TEST(client
                   .request("POST", "/api/v1/mailbox/messages", json::serialize(good), "text/plain",
                            {{"Authorization", "Bearer " + reporter.token()}})
                   .status == 415u);
    // 404: another report, or one that does not exist.
    BOOST_TEST(code_of(reporter.message_to(other_id, keys_of(instance, {"care"}), "x", 1)) ==
               "404 not_found");
    BOOST_TEST(code_of(reporter.message_to(random_id(), keys_of(instance, {"care"}), "x", 1)) ==
               "404 not_found");
    // Another mailbox's token opens only its own report.
    sign_in(neighbour);
    BOOST_TEST(neighbour.send(client, neighbour.message_to(id, keys_of(instance, {"care"}), "x", 1))
                   .status == 404u);
    // 422 bad_signature: signed by another key, or the readers changed after signing.
    BOOST_TEST(code_of(neighbour.message_to(id, keys_of(instance, {"care"}), "x", 1)) ==
               "422 bad_signature");
    auto resigned = neighbour.message_to(id, keys_of(instance, {"care"}), "x", 1);
    resigned["signature"] = good.at("signature");
    BOOST_TEST(code_of(resigned) == "422 bad_signature");
    auto widened = good;
    widened["envelopes"].as_object()["police"] =
        json::object{{"key_id", crypto::base64url_encode(instance.key("police").key_id)},
                     {"sealed", crypto::base64url_encode(crypto::random_bytes(80))}};
    BOOST_TEST(code_of(widened) == "422 bad_signature");
    // 422 consent_violation: a desk the report was not routed to; no desk at all.
    BOOST_TEST(code_of(reporter.message_to(id, keys_of(instance, {"care", "municipality"}), "x",
                                           1)) == "422 consent_violation");
    BOOST_TEST(code_of(reporter.message_to(id, {}, "x", 1)) == "422 consent_violation");
    // 409 stale_key: a key id care does not accept (the signature does not cover it).
    auto stale = good;
    stale["envelopes"].as_object()["care"].as_object()["key_id"] =
        crypto::base64url_encode(crypto::random_bytes(8));
    BOOST_TEST(code_of(stale) == "409 stale_key");
    // Nothing of the refusals was stored, and the good one still goes.
    BOOST_TEST(scalar("SELECT count(*) FROM messages") == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM events WHERE kind = 'message'") == 0);
    BOOST_TEST(code_of(good) == "201 -");
    BOOST_TEST(
        reporter.send(client, reporter.message_to(id, keys_of(instance, {"police"}), "p", 2, false))
            .status == 201u);
    BOOST_TEST(inbox("police", police) == (texts{id + " report", id + " message"}));
}

BOOST_AUTO_TEST_CASE(a_desk_reply_is_refused_in_the_order_of_section_7) {
    reporter_mailbox reporter;
    const auto id = report(reporter, {"care", "police"}, "desk refusals");
    const auto care_only = report(reporter_mailbox(), {"care"}, "care only");
    const auto silent =
        instance.submit(client, sealed_report(instance.on_disk(), {"care"}, "no mailbox"));
    BOOST_REQUIRE_EQUAL(silent.status, 201u);
    const std::string no_mailbox(parse_body(silent).at("id").as_string());
    const auto& box_pk = reporter.keys().box.public_key;
    const auto good = desk_reply(id, "care", instance.key("care"), box_pk, "hi", 1);
    const auto code_of = [&](const std::string& report_id, const json::object& body,
                             const std::string& token) {
        const auto r = reply_to(report_id, body, token);
        return std::to_string(r.status) + " " +
               (r.status >= 400 ? error_code_of(r) : std::string("-"));
    };

    BOOST_TEST(code_of(id, good, "") == "401 unauthorized");
    BOOST_TEST(code_of(id, good, instance.coordinator("coord-1")) == "403 forbidden");
    auto broken = good;
    broken["desk"] = 7;
    BOOST_TEST(code_of(id, broken, care) == "400 bad_request");
    broken = good;
    broken["envelopes"].as_object()["reporter"].as_object()["box"] = "AAAA";
    BOOST_TEST(code_of(id, broken, care) == "400 bad_request");
    // `desk` is not the caller's.
    BOOST_TEST(code_of(id, good, police) == "403 forbidden");
    // A desk the report was not routed to cannot write: the report does not exist for it.
    const auto from_police =
        desk_reply(care_only, "police", instance.key("police"), box_pk, "x", 1);
    BOOST_TEST(code_of(care_only, from_police, police) == "404 not_found");
    BOOST_TEST(code_of(random_id(),
                       desk_reply(random_id(), "care", instance.key("care"), box_pk, "x", 1),
                       care) == "404 not_found");
    BOOST_TEST(code_of(no_mailbox,
                       desk_reply(no_mailbox, "care", instance.key("care"), box_pk, "x", 1),
                       care) == "409 no_mailbox");
    // Exactly {reporter, that desk}.
    auto extra = good;
    extra["envelopes"].as_object()["police"] =
        json::object{{"key_id", crypto::base64url_encode(instance.key("police").key_id)},
                     {"sealed", crypto::base64url_encode(crypto::random_bytes(80))}};
    BOOST_TEST(code_of(id, extra, care) == "422 consent_violation");
    auto no_reporter = good;
    no_reporter["envelopes"].as_object().erase("reporter");
    BOOST_TEST(code_of(id, no_reporter, care) == "422 consent_violation");
    auto stale = good;
    stale["envelopes"].as_object()["reporter"].as_object()["key_id"] =
        crypto::base64url_encode(crypto::random_bytes(8));
    BOOST_TEST(code_of(id, stale, care) == "409 stale_key");
    BOOST_TEST(scalar("SELECT count(*) FROM messages") == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM audit WHERE action = 'message_sent'") == 0);
    BOOST_TEST(code_of(id, good, care) == "201 -");
}

BOOST_AUTO_TEST_CASE(a_withdrawal_deletes_for_good_and_tells_every_desk) {
    reporter_mailbox reporter;
    const auto id = report(reporter, {"care", "police"}, "please forget this");
    const auto kept = report(reporter_mailbox(), {"care"}, "another report stays");
    sign_in(reporter);
    BOOST_REQUIRE_EQUAL(reply_to(id,
                                 desk_reply(id, "care", instance.key("care"),
                                            reporter.keys().box.public_key, "we read it", 1),
                                 care)
                            .status,
                        201u);
    BOOST_REQUIRE_EQUAL(
        reporter
            .send(client,
                  reporter.message_to(id, keys_of(instance, {"care", "police"}), "thanks", 1))
            .status,
        201u);
    BOOST_REQUIRE_EQUAL(with_token(client, "POST", "/api/v1/reports/" + id + "/status", care,
                                   R"({"desk":"care","status":"acknowledged"})")
                            .status,
                        200u);
    const auto before = view(id, care);
    const bytes report_ciphertext = b64(before.at("ciphertext"));
    std::vector<bytes> secrets{report_ciphertext, b64(before.at("reply_box_pk")),
                               b64(before.at("envelopes").at("care").at("sealed"))};
    for (const auto& m : before.at("messages").as_array()) {
        secrets.push_back(b64(m.at("ciphertext")));
    }
    // Each secret is on disk before (so the check below can fail): in the file or its WAL.
    const auto db_path = instance.database();
    const auto wal_path = std::filesystem::path(db_path.string() + "-wal");
    const auto slice = [](const bytes& b) { return bytes(b.begin(), b.begin() + 32); };
    for (const auto& secret : secrets) {
        BOOST_TEST((holds(file_bytes(db_path), slice(secret)) ||
                    holds(file_bytes(wal_path), slice(secret))));
    }

    // Another report's id with her token: 404, nothing changes.
    BOOST_TEST(reporter.withdraw(client, kept).status == 404u);
    BOOST_TEST(reporter.withdraw(client, random_id()).status == 404u);
    const auto withdrawn = reporter.withdraw(client, id);
    BOOST_REQUIRE_EQUAL(withdrawn.status, 204u);
    BOOST_TEST(reporter.withdraw(client, id).status == 404u);

    // Gone for good: not in the database file, not in its WAL.
    const auto on_disk = file_bytes(db_path);
    const auto in_wal = file_bytes(wal_path);
    for (const auto& secret : secrets) {
        BOOST_TEST(!holds(on_disk, slice(secret)));
        BOOST_TEST(!holds(in_wal, slice(secret)));
    }
    // Every desk was told, in its inbox and on its stream.
    BOOST_TEST(inbox("police", police) ==
               (texts{id + " report", id + " message", id + " withdrawn"}));
    const texts care_events{id + " report",  kept + " report", id + " message",
                            id + " message", id + " status",   id + " withdrawn"};
    BOOST_TEST(inbox("care", care) == care_events);
    BOOST_TEST(streamed(care) == care_events);
    BOOST_TEST(streamed(police).back() == id + " withdrawn");
    // The report exists for nobody; her mailbox is empty, as for an unused receipt.
    BOOST_TEST(get("/api/v1/reports/" + id, care).status == 404u);
    BOOST_TEST(get("/api/v1/reports/" + id, police).status == 404u);
    BOOST_TEST(
        reporter.mailbox(client) ==
        (json::value(json::object{{"reports", json::array{}}, {"messages", json::array{}}})));
    BOOST_TEST(reply_to(id,
                        desk_reply(id, "care", instance.key("care"), reporter.keys().box.public_key,
                                   "x", 2),
                        care)
                   .status == 404u);
    // What §8 counts stays; everything else of it is gone.
    BOOST_TEST(scalar("SELECT count(*) FROM reports WHERE id = ?1 AND withdrawn_day = "
                      "received_day AND nonce IS NULL AND ciphertext IS NULL AND "
                      "reply_box_pk IS NULL AND reply_mailbox_pk IS NULL AND "
                      "desks = 'care,police' AND consent = desks",
                      id) == 1);
    BOOST_TEST(scalar("SELECT count(*) FROM report_desks d JOIN reports r ON r.no = d.report_no "
                      "WHERE r.id = ?1 AND d.ack_day IS NOT NULL",
                      id) == 1);
    BOOST_TEST(scalar("SELECT count(*) FROM envelopes e JOIN reports r ON r.no = e.report_no "
                      "WHERE r.id = ?1",
                      id) == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM messages") == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM message_envelopes") == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM audit WHERE report_id = ?1", id) == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM audit WHERE action = 'message_sent'") == 1);
    // The other report is untouched.
    BOOST_TEST(view(kept, care).at("mailbox").as_bool());
}

BOOST_AUTO_TEST_CASE(reply_keys_serve_one_report_and_never_a_count_only_one) {
    reporter_mailbox reporter;
    report(reporter, {"care"}, "first");
    report_input again;
    again.consent = {"police"};
    again.desks = {"police"};
    again.plaintext = plaintext("second");
    again.keys["police"] = &instance.key("police");
    again.reply_box_pk = reporter.keys().box.public_key;
    again.reply_mailbox_pk = crypto::sign_keygen().public_key;
    auto reused = instance.submit(client, build_report(again));
    BOOST_TEST(reused.status == 409u);
    BOOST_TEST(error_code_of(reused) == "reply_in_use");
    again.reply_box_pk = crypto::box_keygen().public_key;
    again.reply_mailbox_pk = reporter.keys().mailbox.public_key;
    reused = instance.submit(client, build_report(again));
    BOOST_TEST(reused.status == 409u);
    BOOST_TEST(error_code_of(reused) == "reply_in_use");
    BOOST_TEST(scalar("SELECT count(*) FROM reports") == 1);

    report_input count_only;
    count_only.consent = {};
    count_only.reply_box_pk = reporter_mailbox().keys().box.public_key;
    count_only.reply_mailbox_pk = reporter_mailbox().keys().mailbox.public_key;
    const auto refused = instance.submit(client, build_report(count_only));
    BOOST_TEST(refused.status == 400u);
    BOOST_TEST(scalar("SELECT count(*) FROM reports") == 1);

    // New keys go through.
    again.reply_mailbox_pk = crypto::sign_keygen().public_key;
    BOOST_TEST(instance.submit(client, build_report(again)).status == 201u);
}

BOOST_AUTO_TEST_CASE(config_lists_each_desks_retained_keys) {
    const auto doc = parse_body(client.get("/api/v1/config"));
    for (const auto& desk : doc.at("desks").as_array()) {
        BOOST_TEST(desk.at("previous_keys").as_array().empty());
    }
}

BOOST_AUTO_TEST_CASE(a_report_past_retention_is_purged_for_good_and_still_counted) {
    reporter_mailbox reporter;
    const auto id = report(reporter, {"care", "police"}, "an old report to purge");
    const auto kept = report(reporter_mailbox(), {"care"}, "a recent report stays");
    sign_in(reporter);
    BOOST_REQUIRE_EQUAL(reply_to(id,
                                 desk_reply(id, "care", instance.key("care"),
                                            reporter.keys().box.public_key, "we read it", 1),
                                 care)
                            .status,
                        201u);
    BOOST_REQUIRE_EQUAL(with_token(client, "POST", "/api/v1/reports/" + id + "/status", care,
                                   R"({"desk":"care","status":"closed"})")
                            .status,
                        200u);
    const auto before = view(id, care);
    std::vector<bytes> secrets{b64(before.at("ciphertext")), b64(before.at("reply_box_pk")),
                               b64(before.at("reply_mailbox_pk")),
                               b64(before.at("envelopes").at("care").at("sealed"))};
    for (const auto& m : before.at("messages").as_array()) {
        secrets.push_back(b64(m.at("ciphertext")));
    }
    BOOST_REQUIRE_EQUAL(secrets.size(), 5u);
    const auto db_path = instance.database();
    const auto wal_path = std::filesystem::path(db_path.string() + "-wal");
    const auto slice = [](const bytes& b) { return bytes(b.begin(), b.begin() + 32); };
    for (const auto& secret : secrets) { // on disk before, so the check below can fail
        BOOST_TEST((holds(file_bytes(db_path), slice(secret)) ||
                    holds(file_bytes(wal_path), slice(secret))));
    }

    // The report arrived 400 days ago (retention_days is 180 by default).
    std::int64_t old_day = 0;
    {
        auto db = store::database::open(db_path, store::open_mode::read_write_create).value();
        auto st = store::statement::prepare(db, "UPDATE reports SET received_day = received_day "
                                                "- 400 WHERE id = ?1 RETURNING received_day")
                      .value();
        st.bind(1, crypto::base64url_decode(id).value());
        BOOST_REQUIRE(st.step().value());
        old_day = st.column_int64(0);
    }
    const auto settings = config::load_file(instance.on_disk().dir() / "signaal.toml").value();
    const auto ids = stats::configured_policy(settings).ids;
    const auto counts = [&] {
        auto db = store::database::open(db_path, store::open_mode::read_only).value();
        return stats::count_quarter(db, stats::quarter_of_day(old_day), ids).value();
    };
    const auto counted = counts();
    BOOST_TEST(
        (counted.kind == std::vector<stats::cell_count>{{"count_only", 0}, {"with_text", 1}}));

    // On demand, while the server runs (the server's own daily run is
    // api_test/the_daily_run_purges_exactly_the_reports_past_retention).
    const auto [code, out] = run_admin(instance.on_disk(), {"purge"});
    BOOST_TEST_INFO(out);
    BOOST_REQUIRE_EQUAL(code, 0);
    BOOST_TEST(out.find("purged 1 reports received before") == 0u);

    // Gone for good: not in the database file, not in its WAL.
    const auto on_disk = file_bytes(db_path);
    const auto in_wal = file_bytes(wal_path);
    for (const auto& secret : secrets) {
        BOOST_TEST(!holds(on_disk, slice(secret)));
        BOOST_TEST(!holds(in_wal, slice(secret)));
    }
    BOOST_TEST(get("/api/v1/reports/" + id, care).status == 404u);
    BOOST_TEST(get("/api/v1/reports/" + id, police).status == 404u);
    BOOST_TEST(
        reporter.mailbox(client) ==
        (json::value(json::object{{"reports", json::array{}}, {"messages", json::array{}}})));
    BOOST_TEST(scalar("SELECT count(*) FROM audit WHERE report_id = ?1", id) == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM messages") == 0);
    // Still counted, exactly as before (closed on the day it came: 0-7 days).
    const auto recounted = counts();
    BOOST_TEST((recounted.kind == counted.kind));
    BOOST_TEST((recounted.category == counted.category));
    BOOST_TEST((recounted.role == counted.role));
    BOOST_TEST((recounted.withdrawn == counted.withdrawn));
    BOOST_REQUIRE_EQUAL(recounted.desks.size(), counted.desks.size());
    for (std::size_t i = 0; i < counted.desks.size(); ++i) {
        BOOST_TEST((recounted.desks[i].days_to_ack == counted.desks[i].days_to_ack));
        BOOST_TEST((recounted.desks[i].closed == counted.desks[i].closed));
    }
    // The recent report is untouched.
    BOOST_TEST(view(kept, care).at("mailbox").as_bool());
}

BOOST_AUTO_TEST_SUITE_END()
