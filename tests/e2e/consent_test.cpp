// Stepped consent over TLS on loopback (PROTOCOL.md §7): the reporter's signed
// change, a caseworker sealing the report key to the desk she added, every
// refusal in §7's order, the events and views each desk gets, and a removal
// that leaves no byte of the removed desk's envelopes in the database file or
// its WAL.
#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/random.hpp"
#include "server/stats/quarter.hpp"
#include "server/stats/quarter_counts.hpp"
#include "server/store/database.hpp"
#include "server/store/statement.hpp"
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

texts strings(const json::value& array) {
    texts out;
    for (const auto& each : array.as_array()) {
        out.emplace_back(each.as_string());
    }
    return out;
}

std::string random_id() {
    return crypto::base64url_encode(crypto::random_bytes(16));
}

std::string status_and_code(const http_reply& r) {
    return std::to_string(r.status) + " " + (r.status >= 400 ? error_code_of(r) : std::string("-"));
}

/// The report as served, opened by `desk` the way its client does: the key
/// from its envelope, the AD from sealed_consent and sealed_desks; its `text`,
/// or "" when it does not open. `mailbox_pk` gets the one inside (§5), against
/// which a desk checks her consent changes.
std::string open_view(const json::value& view, const std::string& desk, const desk_keypair& key,
                      bytes* mailbox_pk = nullptr) {
    store::report_record r;
    r.role = view.at("role").as_string();
    r.category = view.at("category").as_string();
    r.consent = strings(view.at("sealed_consent"));
    r.desks = strings(view.at("sealed_desks"));
    r.nonce = b64(view.at("nonce"));
    r.ciphertext = b64(view.at("ciphertext"));
    for (const auto& [name, e] : view.at("envelopes").as_object()) {
        r.envelopes.push_back({std::string(name), b64(e.at("key_id")), b64(e.at("sealed"))});
    }
    const auto plain = open_report(r, desk, key);
    const auto doc = plain ? json::parse(*plain) : json::parse("null");
    if (!doc || !doc->is_object()) {
        return "";
    }
    if (mailbox_pk != nullptr) {
        *mailbox_pk = b64(doc->at("reply").at("mailbox_pk"));
    }
    return std::string(doc->at("text").as_string());
}

/// What a caseworker of `from` posts to seal the report key to `to`.
json::object forward_body(const json::value& view, const std::string& from,
                          const desk_keypair& from_key, const std::string& to,
                          const desk_keypair& to_key) {
    const auto& mine = view.at("envelopes").at(from);
    const auto k =
        crypto::seal_open(b64(mine.at("sealed")), from_key.public_key, from_key.secret_key);
    BOOST_REQUIRE(k.has_value());
    return json::object{
        {"envelopes",
         json::object{{to, json::object{{"key_id", crypto::base64url_encode(to_key.key_id)},
                                        {"sealed", crypto::base64url_encode(crypto::seal(
                                                       k->view(), to_key.public_key))}}}}}};
}

struct consent_fixture {
    staff_instance instance;
    https_client client = instance.client();
    std::string care = instance.caseworker("care-1", {"care"});
    std::string police = instance.caseworker("police-1", {"police"});
    std::string municipality = instance.caseworker("muni-1", {"municipality"});

    // A report with reply keys; its id.
    std::string report(const reporter_mailbox& reporter, std::vector<std::string> consent,
                       const std::string& text, const std::string& category = "physical_violence") {
        report_input in;
        in.category = category;
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
        BOOST_REQUIRE_EQUAL(reporter.sign_in(client, instance.origin()).status, 200u);
    }

    http_reply get(const std::string& target, const std::string& token) {
        return with_token(client, "GET", target, token);
    }
    http_reply post(const std::string& target, const json::object& body, const std::string& token) {
        return with_token(client, "POST", target, token, json::serialize(body));
    }
    http_reply forward(const std::string& id, const json::object& body, const std::string& token) {
        return post("/api/v1/reports/" + id + "/envelopes", body, token);
    }

    texts inbox(const std::string& desk, const std::string& token) {
        const auto reply = get("/api/v1/inbox?desk=" + desk, token);
        BOOST_REQUIRE_EQUAL(reply.status, 200u);
        texts lines;
        const auto doc = parse_body(reply);
        for (const auto& e : doc.at("events").as_array()) {
            lines.push_back(std::string(e.at("report_id").as_string()) + " " +
                            std::string(e.at("kind").as_string()));
        }
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

    json::value my_report(const reporter_mailbox& reporter) {
        const auto box = reporter.mailbox(client);
        BOOST_REQUIRE_EQUAL(box.at("reports").as_array().size(), 1u);
        return box.at("reports").as_array().at(0);
    }

    // Per desk, how many of this quarter's reports it counts (§8 `routed`).
    std::map<std::string, std::int64_t> routed_this_quarter() {
        auto db = store::database::open(instance.database(), store::open_mode::read_only);
        BOOST_REQUIRE(db.has_value());
        stats::configured_ids ids;
        ids.desks = {"care", "municipality", "police"};
        const auto q = stats::quarter_of_day(unix_day(system_clock{}.now_unix()));
        auto counts = stats::count_quarter(*db, q, ids);
        BOOST_REQUIRE(counts.has_value());
        std::map<std::string, std::int64_t> out;
        for (const auto& d : counts->desks) {
            for (const auto& cell : d.days_to_ack) {
                out[d.desk] += cell.count;
            }
        }
        return out;
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(consent, consent_fixture)

BOOST_AUTO_TEST_CASE(police_added_later_reads_exactly_the_text_once_care_seals_it) {
    reporter_mailbox reporter;
    const std::string text = "he took my passport; I want the police to know now";
    const auto id = report(reporter, {"care"}, text);
    sign_in(reporter);
    auto mine = consent_state_of(my_report(reporter));
    BOOST_TEST(mine.consent == texts{"care"});
    BOOST_TEST(mine.desks == texts{"care"});
    BOOST_TEST(mine.pending.empty());
    BOOST_TEST(mine.next_change() == 1);
    // Before she adds police, police knows nothing of the report.
    BOOST_TEST(get("/api/v1/reports/" + id, police).status == 404u);
    const auto routed_before = routed_this_quarter();

    const auto added = reporter.change_consent(client, id, 1, {"police"}, {});
    BOOST_REQUIRE_EQUAL(added.status, 200u);
    BOOST_TEST(parse_body(added) ==
               (json::value(json::object{{"desks", json::array{"care"}},
                                         {"pending", json::array{"police"}}})));
    mine = consent_state_of(my_report(reporter));
    BOOST_TEST(mine.consent == (texts{"care", "police"}));
    BOOST_TEST(mine.desks == texts{"care"});
    BOOST_TEST(mine.pending == texts{"police"});
    BOOST_REQUIRE_EQUAL(mine.changes.size(), 1u);
    BOOST_TEST(mine.next_change() == 2);

    // Care hears of it; police, pending, gets no event yet.
    BOOST_TEST(inbox("care", care) == (texts{id + " report", id + " consent"}));
    BOOST_TEST(inbox("police", police).empty());
    // A message from her goes only to desks holding an envelope.
    std::map<std::string, const desk_keypair*> to_police{{"police", &instance.key("police")}};
    BOOST_TEST(
        status_and_code(reporter.send(client, reporter.message_to(id, to_police, "hi", 1))) ==
        "422 consent_violation");

    // Police, pending, reads the view (no envelope, no message) and verifies her change.
    const auto waiting = view(id, police);
    BOOST_TEST(waiting.at("envelopes").as_object().empty());
    BOOST_TEST(waiting.at("messages").as_array().empty());
    BOOST_TEST(waiting.at("status").as_object().empty());
    BOOST_TEST(strings(waiting.at("pending")) == texts{"police"});
    BOOST_TEST(strings(waiting.at("desks")) == texts{"care"});
    BOOST_TEST(strings(waiting.at("consent")) == (texts{"care", "police"}));
    BOOST_TEST(strings(waiting.at("sealed_consent")) == texts{"care"});
    BOOST_TEST(strings(waiting.at("sealed_desks")) == texts{"care"});
    const auto& change = waiting.at("consent_changes").as_array().at(0);
    BOOST_TEST(change.at("change").as_int64() == 1);
    BOOST_TEST(change.at("day").as_string() == today());
    BOOST_TEST(strings(change.at("add")) == texts{"police"});
    BOOST_TEST(change.at("remove").as_array().empty());
    BOOST_TEST(consent_change_verifies(change, id, reporter.keys().mailbox.public_key));
    BOOST_TEST(!consent_change_verifies(change, id, reporter_mailbox().keys().mailbox.public_key));
    BOOST_TEST(!consent_change_verifies(change, random_id(), reporter.keys().mailbox.public_key));
    // ...but may do nothing else with it: it holds no key.
    const auto care_view = view(id, care);
    const auto body =
        forward_body(care_view, "care", instance.key("care"), "police", instance.key("police"));
    BOOST_TEST(status_and_code(forward(id, body, police)) == "403 forbidden");
    BOOST_TEST(status_and_code(with_token(client, "POST", "/api/v1/reports/" + id + "/status",
                                          police, R"({"desk":"police","status":"closed"})")) ==
               "403 forbidden");
    BOOST_TEST(status_and_code(post("/api/v1/reports/" + id + "/messages",
                                    desk_reply(id, "police", instance.key("police"),
                                               reporter.keys().box.public_key, "x", 1),
                                    police)) == "403 forbidden");

    // Care seals the report key to police.
    const auto sealed = forward(id, body, care);
    BOOST_REQUIRE_EQUAL(sealed.status, 200u);
    BOOST_TEST(parse_body(sealed) ==
               (json::value(json::object{{"desks", json::array{"care", "police"}},
                                         {"pending", json::array{}}})));
    // Police decrypts exactly what she wrote, with the AD it was sealed with.
    const auto police_view = view(id, police);
    BOOST_TEST(strings(police_view.at("desks")) == (texts{"care", "police"}));
    BOOST_TEST(police_view.at("pending").as_array().empty());
    BOOST_TEST(police_view.at("envelopes").as_object().size() == 1u);
    BOOST_TEST(police_view.at("status") == (json::value(json::object{{"police", "new"}})));
    bytes inside;
    BOOST_TEST(open_view(police_view, "police", instance.key("police"), &inside) == text);
    BOOST_TEST(open_view(view(id, care), "care", instance.key("care")) == text);
    // Her signature verifies against the mailbox key inside the report, as police checks it.
    BOOST_TEST(inside == reporter.keys().mailbox.public_key);
    BOOST_TEST(consent_change_verifies(police_view.at("consent_changes").at(0), id, inside));
    BOOST_TEST(inbox("police", police) == texts{id + " report"});
    BOOST_TEST(inbox("care", care) == (texts{id + " report", id + " consent", id + " consent"}));
    // The audit trail says who sealed it to a new desk.
    BOOST_TEST(scalar("SELECT count(*) FROM audit WHERE action = 'forward' AND staff = 'care-1' "
                      "AND report_id = ?1",
                      id) == 1);
    // The numbers count police now, care still.
    auto routed_after = routed_this_quarter();
    BOOST_TEST(routed_after["police"] == routed_before.at("police") + 1);
    BOOST_TEST(routed_after["care"] == routed_before.at("care"));
    // A second forward to police is refused: it is not pending any more.
    BOOST_TEST(status_and_code(forward(id, body, care)) == "422 consent_violation");
    // Her message to police goes now; police may change its status.
    BOOST_TEST(reporter.send(client, reporter.message_to(id, to_police, "hi", 1)).status == 201u);
    BOOST_TEST(with_token(client, "POST", "/api/v1/reports/" + id + "/status", police,
                          R"({"desk":"police","status":"acknowledged"})")
                   .status == 200u);
    mine = consent_state_of(my_report(reporter));
    BOOST_TEST(mine.desks == (texts{"care", "police"}));
    BOOST_TEST(mine.pending.empty());
}

BOOST_AUTO_TEST_CASE(a_consent_change_is_refused_in_the_order_of_section_7) {
    reporter_mailbox reporter;
    const auto id = report(reporter, {"care", "municipality"}, "refusals", "police_conduct");
    reporter_mailbox neighbour;
    const auto other_id = report(neighbour, {"care"}, "not hers");
    sign_in(reporter);
    const auto code_of = [&](const json::object& body) {
        return status_and_code(reporter.post_consent(client, body));
    };
    const auto raw = [&](const std::string& body) {
        return status_and_code(reporter.post_consent(client, body));
    };
    const auto good = reporter.consent_change(id, 1, {}, {"municipality"});

    // 401, 415, 400 first.
    BOOST_TEST(status_and_code(with_token(client, "POST", "/api/v1/mailbox/consent", "",
                                          json::serialize(good))) == "401 unauthorized");
    BOOST_TEST(status_and_code(with_token(client, "POST", "/api/v1/mailbox/consent", care,
                                          json::serialize(good))) == "401 unauthorized");
    BOOST_TEST(client
                   .request("POST", "/api/v1/mailbox/consent", json::serialize(good), "text/plain",
                            {{"Authorization", "Bearer " + reporter.token()}})
                   .status == 415u);
    BOOST_TEST(raw("{\"report_id\":") == "400 bad_request");
    BOOST_TEST(raw("[]") == "400 bad_request");
    BOOST_TEST(code_of(reporter.consent_change(id, 1, {}, {})) == "400 bad_request");
    BOOST_TEST(code_of(reporter.consent_change(id, 1, {"police", "police"}, {})) ==
               "400 bad_request");
    BOOST_TEST(code_of(reporter.consent_change(id, 1, {"care"}, {"care"})) == "400 bad_request");
    BOOST_TEST(code_of(reporter.consent_change(id, 1, {"Police!"}, {})) == "400 bad_request");
    auto broken = good;
    broken["change"] = "1";
    BOOST_TEST(code_of(broken) == "400 bad_request");
    broken["change"] = 1.5;
    BOOST_TEST(code_of(broken) == "400 bad_request");
    broken["change"] = 0;
    BOOST_TEST(code_of(broken) == "400 bad_request");
    broken = good;
    broken.erase("remove");
    BOOST_TEST(code_of(broken) == "400 bad_request");
    broken = good;
    broken["signature"] = "AAAA";
    BOOST_TEST(code_of(broken) == "400 bad_request");
    broken = good;
    broken["report_id"] = "not-an-id";
    BOOST_TEST(code_of(broken) == "400 bad_request");
    // 404: another report, or none.
    BOOST_TEST(code_of(reporter.consent_change(other_id, 1, {}, {"care"})) == "404 not_found");
    BOOST_TEST(code_of(reporter.consent_change(random_id(), 1, {}, {"care"})) == "404 not_found");

    // 422 bad_signature: a wrong one, another receipt's, one for other lists or
    // another number; before the number and the desks are looked at.
    auto wrong = good;
    auto signature = b64(good.at("signature"));
    signature[0] ^= 1;
    wrong["signature"] = crypto::base64url_encode(signature);
    BOOST_TEST(code_of(wrong) == "422 bad_signature");
    BOOST_TEST(code_of(neighbour.consent_change(id, 1, {}, {"municipality"})) ==
               "422 bad_signature");
    auto widened = good;
    widened["remove"] = json::array{"care", "municipality"};
    BOOST_TEST(code_of(widened) == "422 bad_signature");
    auto renumbered = neighbour.consent_change(id, 7, {"police"}, {});
    BOOST_TEST(code_of(renumbered) == "422 bad_signature");
    // 409 stale_change: not the next number, before the desks are looked at.
    BOOST_TEST(code_of(reporter.consent_change(id, 2, {}, {"municipality"})) == "409 stale_change");
    BOOST_TEST(code_of(reporter.consent_change(id, 2, {"police"}, {})) == "409 stale_change");
    // 422: the desks. police_conduct never goes to police; a desk that reads it
    // already; a desk that neither reads it nor waits; the last desk; an unknown one.
    BOOST_TEST(code_of(reporter.consent_change(id, 1, {"police"}, {})) == "422 consent_violation");
    BOOST_TEST(code_of(reporter.consent_change(id, 1, {"care"}, {})) == "422 consent_violation");
    BOOST_TEST(code_of(reporter.consent_change(id, 1, {}, {"police"})) == "422 consent_violation");
    BOOST_TEST(code_of(reporter.consent_change(id, 1, {}, {"care", "municipality"})) ==
               "422 consent_violation");
    BOOST_TEST(code_of(reporter.consent_change(id, 1, {"bakery"}, {})) == "422 unknown_desk");

    // Nothing of the refusals changed anything.
    BOOST_TEST(scalar("SELECT count(*) FROM consent_changes") == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM pending_desks") == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM envelopes") == 3);
    BOOST_TEST(inbox("municipality", municipality) == texts{id + " report"});
    auto mine = consent_state_of(my_report(reporter));
    BOOST_TEST(mine.desks == (texts{"care", "municipality"}));
    BOOST_TEST(mine.changes.empty());

    // The good one goes once; the same change again is an old one replayed.
    BOOST_TEST(code_of(good) == "200 -");
    BOOST_TEST(code_of(good) == "409 stale_change");
    BOOST_TEST(code_of(reporter.consent_change(id, 1, {"municipality"}, {})) == "409 stale_change");
    BOOST_TEST(scalar("SELECT count(*) FROM consent_changes") == 1);
    // Municipality, removed, may be added again: a change of her own, numbered 2.
    BOOST_TEST(code_of(reporter.consent_change(id, 2, {"municipality"}, {})) == "200 -");
    mine = consent_state_of(my_report(reporter));
    BOOST_TEST(mine.consent == (texts{"care", "municipality"}));
    BOOST_TEST(mine.pending == texts{"municipality"});
    BOOST_TEST(mine.next_change() == 3);
    // Removing a pending desk just drops it: it never had a `report` event, so no `withdrawn`.
    BOOST_TEST(code_of(reporter.consent_change(id, 3, {}, {"municipality"})) == "200 -");
    BOOST_TEST(inbox("municipality", municipality) == (texts{id + " report", id + " withdrawn"}));
    BOOST_TEST(inbox("care", care) == (texts{id + " report", other_id + " report", id + " consent",
                                             id + " consent", id + " consent"}));
    mine = consent_state_of(my_report(reporter));
    BOOST_TEST(mine.consent == texts{"care"});
    BOOST_TEST(mine.pending.empty());
    BOOST_TEST(mine.changes.size() == 3u);
    for (const auto& c : mine.changes) {
        BOOST_TEST(consent_change_verifies(c, id, reporter.keys().mailbox.public_key));
    }
}

BOOST_AUTO_TEST_CASE(envelopes_are_accepted_only_for_pending_desks_with_current_keys) {
    reporter_mailbox reporter;
    const auto id = report(reporter, {"care"}, "seal it to police only");
    const auto other = report(reporter_mailbox(), {"municipality"}, "not care's");
    sign_in(reporter);
    BOOST_REQUIRE_EQUAL(reporter.change_consent(client, id, 1, {"police"}, {}).status, 200u);
    const auto care_view = view(id, care);
    const auto good =
        forward_body(care_view, "care", instance.key("care"), "police", instance.key("police"));
    const auto code_of = [&](const std::string& report_id, const json::object& body,
                             const std::string& token) {
        return status_and_code(forward(report_id, body, token));
    };

    BOOST_TEST(code_of(id, good, "") == "401 unauthorized");
    BOOST_TEST(code_of(id, good, reporter.token()) == "401 unauthorized");
    BOOST_TEST(code_of(id, good, instance.coordinator("coord-1")) == "403 forbidden");
    BOOST_TEST(client
                   .request("POST", "/api/v1/reports/" + id + "/envelopes", json::serialize(good),
                            "text/plain", {{"Authorization", "Bearer " + care}})
                   .status == 415u);
    BOOST_TEST(status_and_code(with_token(client, "POST", "/api/v1/reports/" + id + "/envelopes",
                                          care, "{\"envelopes\":")) == "400 bad_request");
    BOOST_TEST(code_of(id, json::object{{"envelopes", json::object{}}}, care) == "400 bad_request");
    auto broken = good;
    broken["envelopes"].as_object()["police"].as_object()["sealed"] = "AAAA";
    BOOST_TEST(code_of(id, broken, care) == "400 bad_request");
    BOOST_TEST(with_token(client, "GET", "/api/v1/reports/" + id + "/envelopes", care).status ==
               405u);
    // 404: a report that is not care's, or none.
    BOOST_TEST(code_of(other, good, care) == "404 not_found");
    BOOST_TEST(code_of(random_id(), good, care) == "404 not_found");
    BOOST_TEST(code_of(id, good, municipality) == "404 not_found");
    // 403: the pending desk's own caseworker holds no key to seal with.
    BOOST_TEST(code_of(id, good, police) == "403 forbidden");
    // 422: a desk that is not pending (one that reads it, one she never added).
    const auto to_municipality = forward_body(care_view, "care", instance.key("care"),
                                              "municipality", instance.key("municipality"));
    BOOST_TEST(code_of(id, to_municipality, care) == "422 consent_violation");
    const auto to_care =
        forward_body(care_view, "care", instance.key("care"), "care", instance.key("care"));
    BOOST_TEST(code_of(id, to_care, care) == "422 consent_violation");
    // 409: a key id police does not accept.
    auto stale = good;
    stale["envelopes"].as_object()["police"].as_object()["key_id"] =
        crypto::base64url_encode(crypto::random_bytes(8));
    BOOST_TEST(code_of(id, stale, care) == "409 stale_key");
    // Nothing of the refusals was stored.
    BOOST_TEST(scalar("SELECT count(*) FROM audit WHERE action = 'forward'") == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM pending_desks") == 1);
    BOOST_TEST(inbox("police", police).empty());
    BOOST_TEST(code_of(id, good, care) == "200 -");
    BOOST_TEST(inbox("police", police) == texts{id + " report"});
}

BOOST_AUTO_TEST_CASE(a_removed_desk_loses_every_envelope_for_good_and_is_told) {
    reporter_mailbox reporter;
    const auto id = report(reporter, {"care", "police"}, "police should not read this further");
    sign_in(reporter);
    const std::map<std::string, const desk_keypair*> both{{"care", &instance.key("care")},
                                                          {"police", &instance.key("police")}};
    BOOST_REQUIRE_EQUAL(reporter.send(client, reporter.message_to(id, both, "to both", 1)).status,
                        201u);
    BOOST_REQUIRE_EQUAL(
        reporter
            .send(client, reporter.message_to(id, {{"police", &instance.key("police")}},
                                              "to police only", 2, false))
            .status,
        201u);
    BOOST_REQUIRE_EQUAL(post("/api/v1/reports/" + id + "/messages",
                             desk_reply(id, "police", instance.key("police"),
                                        reporter.keys().box.public_key, "police here", 1),
                             police)
                            .status,
                        201u);
    BOOST_REQUIRE_EQUAL(with_token(client, "POST", "/api/v1/reports/" + id + "/status", police,
                                   R"({"desk":"police","status":"acknowledged"})")
                            .status,
                        200u);
    const auto before = view(id, police);
    // Police's report envelope and its envelope of every message.
    std::vector<bytes> secrets{b64(before.at("envelopes").at("police").at("sealed"))};
    for (const auto& m : before.at("messages").as_array()) {
        secrets.push_back(b64(m.at("envelopes").at("police").at("sealed")));
    }
    BOOST_REQUIRE_EQUAL(secrets.size(), 4u);
    const auto db_path = instance.database();
    const auto wal_path = std::filesystem::path(db_path.string() + "-wal");
    // Each is on disk before (so the check below can fail).
    for (const auto& secret : secrets) {
        BOOST_TEST((holds(file_bytes(db_path), secret) || holds(file_bytes(wal_path), secret)));
    }
    const auto routed_before = routed_this_quarter();

    const auto removed = reporter.change_consent(client, id, 1, {}, {"police"});
    BOOST_REQUIRE_EQUAL(removed.status, 200u);
    BOOST_TEST(parse_body(removed) == (json::value(json::object{{"desks", json::array{"care"}},
                                                                {"pending", json::array{}}})));

    // Gone for good: not in the database file, not in its WAL.
    const auto on_disk = file_bytes(db_path);
    const auto in_wal = file_bytes(wal_path);
    for (const auto& secret : secrets) {
        BOOST_TEST(!holds(on_disk, secret));
        BOOST_TEST(!holds(in_wal, secret));
    }
    // Police was told, and the report no longer exists for it.
    BOOST_TEST(inbox("police", police).back() == id + " withdrawn");
    BOOST_TEST(inbox("care", care).back() == id + " consent");
    BOOST_TEST(get("/api/v1/reports/" + id, police).status == 404u);
    BOOST_TEST(with_token(client, "POST", "/api/v1/reports/" + id + "/status", police,
                          R"({"desk":"police","status":"closed"})")
                   .status == 404u);
    BOOST_TEST(post("/api/v1/reports/" + id + "/messages",
                    desk_reply(id, "police", instance.key("police"), reporter.keys().box.public_key,
                               "x", 2),
                    police)
                   .status == 404u);
    BOOST_TEST(scalar("SELECT count(*) FROM report_desks WHERE desk = 'police'") == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM message_envelopes WHERE recipient = 'police'") == 0);
    // The message to police alone without her copy has no envelope left, so it went;
    // police's reply stays hers to read, the message to both stays care's.
    BOOST_TEST(scalar("SELECT count(*) FROM messages") == 2);
    const auto care_view = view(id, care);
    BOOST_TEST(care_view.at("messages").as_array().size() == 1u);
    BOOST_TEST(strings(care_view.at("desks")) == texts{"care"});
    BOOST_TEST(strings(care_view.at("consent")) == texts{"care"});
    BOOST_TEST(strings(care_view.at("sealed_desks")) == (texts{"care", "police"}));
    BOOST_TEST(open_view(care_view, "care", instance.key("care")) ==
               "police should not read this further");
    const auto mine = my_report(reporter);
    BOOST_TEST(consent_state_of(mine).desks == texts{"care"});
    BOOST_TEST(mine.at("status") == (json::value(json::object{{"care", "new"}})));
    // Her messages go to care only now.
    BOOST_TEST(status_and_code(reporter.send(
                   client, reporter.message_to(id, {{"police", &instance.key("police")}}, "x",
                                               3))) == "422 consent_violation");
    // The numbers count the desks it has now.
    auto routed_after = routed_this_quarter();
    BOOST_TEST(routed_after["police"] == routed_before.at("police") - 1);
    BOOST_TEST(routed_after["care"] == routed_before.at("care"));

    // A withdrawal afterwards tells the desks it has now, and forgets every change.
    BOOST_REQUIRE_EQUAL(reporter.change_consent(client, id, 2, {"municipality"}, {}).status, 200u);
    BOOST_REQUIRE_EQUAL(reporter.withdraw(client, id).status, 204u);
    BOOST_TEST(inbox("care", care).back() == id + " withdrawn");
    BOOST_TEST(inbox("police", police).back() == id + " withdrawn");
    BOOST_TEST(scalar("SELECT count(*) FROM events WHERE desk = 'police' AND kind = 'withdrawn'") ==
               1);
    BOOST_TEST(inbox("municipality", municipality).empty());
    BOOST_TEST(scalar("SELECT count(*) FROM consent_changes") == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM pending_desks") == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM reports WHERE id = ?1 AND desks = 'care' AND "
                      "consent = 'care'",
                      id) == 1);
}

BOOST_AUTO_TEST_SUITE_END()
