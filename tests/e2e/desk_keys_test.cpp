// Desk keys made by desks (PROTOCOL.md §6), against the real server over TLS:
// a named holder uploads the first key with grants, colleagues are granted it
// (signed, checked), a rotation keeps the old key, a holder who leaves prompts
// a rotation. The test acts as a client would: it makes keys, seals, signs and
// opens with crypto/, and signs in with a staff key.
#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/grant.hpp"
#include "crypto/key_id.hpp"
#include "crypto/sign.hpp"
#include "crypto/sign_in_message.hpp"
#include "server/store/database.hpp"
#include "server/store/desk_registry.hpp"
#include "server/store/staff_records.hpp"
#include "tests/e2e/helpers.hpp"
#include "tests/support/key_scan.hpp"
#include "tests/support/report_reader.hpp"

using namespace signaal;
using namespace signaal::testing;

namespace {

constexpr const char* desk = "municipality"; // starts with no key in these tests

struct staff_member {
    std::string id;
    crypto::sign_keypair sign;
    crypto::box_keypair box;
    std::string token; // after sign_in
};

/// A fresh key pair for a desk, as `signaal-inbox desk init` makes it.
struct desk_key_pair {
    crypto::bytes public_key;
    crypto::secret_bytes secret_key;
    std::string key_id; // base64url
};

desk_key_pair make_desk_key() {
    auto pair = crypto::box_keygen();
    const auto id = crypto::key_id_of(pair.public_key);
    return {std::move(pair.public_key), std::move(pair.secret_key), crypto::base64url_encode(id)};
}

json::object grant_json(const desk_key_pair& key, const staff_member& to, const staff_member& by) {
    const auto wrapped = crypto::grant_wrap(key.secret_key, to.box.public_key);
    const auto signature = crypto::sign_detached(
        crypto::grant_signed_bytes(desk, key.key_id, to.id, wrapped), by.sign.secret_key);
    return json::object{{"desk", desk}, {"key_id", key.key_id},
                        {"to", to.id},  {"wrapped", crypto::base64url_encode(wrapped)},
                        {"by", by.id},  {"signature", crypto::base64url_encode(signature)}};
}

json::object upload_json(const desk_key_pair& key, json::array grants) {
    return json::object{{"public_key", crypto::base64url_encode(key.public_key)},
                        {"grants", std::move(grants)}};
}

/// An instance whose municipality desk has no key and is registered with one
/// named holder (alice); bob is another caseworker of it, carol one of care.
struct desk_instance {
    test_instance instance;
    staff_member alice{"alice", crypto::sign_keygen(), crypto::box_keygen(), {}};
    staff_member bob{"bob", crypto::sign_keygen(), crypto::box_keygen(), {}};
    staff_member carol{"carol", crypto::sign_keygen(), crypto::box_keygen(), {}};

    desk_instance() {
        auto db = open_db();
        BOOST_REQUIRE(db.exec("DELETE FROM desk_keys WHERE desk = 'municipality'"));
        store::staff_records staff(db);
        for (auto* s : {&alice, &bob, &carol}) {
            store::staff_record r;
            r.id = s->id;
            r.role = "caseworker";
            r.desks = {s == &carol ? "care" : desk};
            r.sign_pk = s->sign.public_key;
            r.box_pk = s->box.public_key;
            r.added_day = today();
            auto added = staff.add(r);
            BOOST_REQUIRE_MESSAGE(added, added.error().message);
        }
        BOOST_REQUIRE(store::desk_registry(db).register_desk(desk, {"alice"}));
        instance.start();
        for (auto* s : {&alice, &bob, &carol}) {
            sign_in(*s);
        }
    }

    store::database open_db() const {
        auto db = store::database::open(instance.database(), store::open_mode::read_write_create);
        BOOST_REQUIRE(db);
        return std::move(*db);
    }

    https_client client() const { return instance.client(); }

    void sign_in(staff_member& s) {
        auto c = client();
        const auto challenge_reply = c.request("POST", "/api/v1/auth/challenge");
        BOOST_REQUIRE_MESSAGE(challenge_reply.status == 200u, challenge_reply.body);
        const auto challenge_b64 =
            std::string(parse_body(challenge_reply).at("challenge").as_string());
        const auto challenge = crypto::base64url_decode_exact(challenge_b64, 32).value();
        const auto origin = "https://127.0.0.1:" + std::to_string(instance.port());
        const auto signature = crypto::sign_detached(
            crypto::staff_sign_in_message(origin, s.id, challenge), s.sign.secret_key);
        const auto reply = c.post_json(
            "/api/v1/auth/staff",
            json::serialize(json::object{{"staff", s.id},
                                         {"challenge", challenge_b64},
                                         {"signature", crypto::base64url_encode(signature)}}));
        BOOST_REQUIRE_MESSAGE(reply.status == 200u, reply.body);
        s.token = std::string(parse_body(reply).at("token").as_string());
    }

    http_reply as(const staff_member& s, const std::string& method, const std::string& target,
                  const std::string& body = {}) const {
        auto c = client();
        return c.request(method, target, body, body.empty() ? "" : "application/json",
                         {{"Authorization", "Bearer " + s.token}});
    }
    http_reply post(const staff_member& s, const std::string& target,
                    const json::object& body) const {
        return as(s, "POST", target, json::serialize(body));
    }
    http_reply upload(const staff_member& s, const desk_key_pair& key, json::array grants) const {
        return post(s, std::string("/api/v1/desks/") + desk + "/keys",
                    upload_json(key, std::move(grants)));
    }
    json::value desk_view(const staff_member& s) const {
        const auto reply = as(s, "GET", std::string("/api/v1/desks/") + desk);
        BOOST_REQUIRE_MESSAGE(reply.status == 200u, reply.body);
        return parse_body(reply);
    }
    json::array keys_of(const staff_member& s) const {
        const auto reply = as(s, "GET", "/api/v1/desk-keys");
        BOOST_REQUIRE_MESSAGE(reply.status == 200u, reply.body);
        return parse_body(reply).at("keys").as_array();
    }

    /// Does /api/v1/config offer the desk (its key and its routing)?
    std::optional<std::string> served_key_id() const {
        auto c = client();
        const auto config = parse_body(c.get("/api/v1/config"));
        for (const auto& d : config.at("desks").as_array()) {
            if (d.at("id").as_string() == desk) {
                return std::string(d.at("key_id").as_string());
            }
        }
        return std::nullopt;
    }
    bool routed() const {
        auto c = client();
        const auto config = parse_body(c.get("/api/v1/config"));
        const auto text = json::serialize(config.at("routing"));
        return text.find(desk) != std::string::npos;
    }

    /// A report to municipality sealed to `key`: the reply.
    http_reply report_to(const crypto::bytes& public_key, const std::string& text) const {
        desk_keypair sealed_to{public_key, crypto::secret_bytes(32), {}};
        const auto id = crypto::key_id_of(public_key);
        sealed_to.key_id.assign(id.begin(), id.end());
        report_input in;
        in.consent = {desk};
        in.desks = {desk};
        in.plaintext = plaintext(text);
        in.keys[desk] = &sealed_to;
        auto c = client();
        return instance.submit(c, build_report(in));
    }

    std::int64_t grants_stored() const {
        return count_rows(instance.database(), "desk_key_grants");
    }
};

std::vector<std::string> strings_of(const json::value& list) {
    std::vector<std::string> out;
    for (const auto& v : list.as_array()) {
        out.emplace_back(v.as_string());
    }
    return out;
}

/// Opens a key listed by GET /api/v1/desk-keys as a client must: unwrap, check
/// the public key and key id, check the grant's signature with the granter's key.
std::optional<crypto::secret_bytes> open_listed(const json::value& listed, const staff_member& me,
                                                const staff_member& granter) {
    const auto public_key =
        crypto::base64url_decode_exact(listed.at("public_key").as_string(), 32).value();
    const auto key_id = crypto::base64url_decode_exact(listed.at("key_id").as_string(), 8).value();
    const auto wrapped = crypto::base64url_decode(listed.at("wrapped").as_string()).value();
    const auto signature =
        crypto::base64url_decode_exact(listed.at("signature").as_string(), 64).value();
    if (listed.at("by").as_string() != granter.id || listed.at("to").as_string() != me.id ||
        !crypto::verify_detached(signature,
                                 crypto::grant_signed_bytes(listed.at("desk").as_string(),
                                                            listed.at("key_id").as_string(), me.id,
                                                            wrapped),
                                 granter.sign.public_key)) {
        return std::nullopt;
    }
    return crypto::grant_unwrap(wrapped, public_key, key_id, me.box.secret_key);
}

std::string opened_report(const test_instance& instance, const std::string& id_b64,
                          const crypto::bytes& public_key, crypto::secret_bytes secret) {
    auto reader = report_reader::open(instance.database());
    BOOST_REQUIRE(reader);
    auto found = reader->find(crypto::base64url_decode(id_b64).value());
    BOOST_REQUIRE(found && found->has_value());
    const auto id = crypto::key_id_of(public_key);
    const desk_keypair key{public_key, std::move(secret), {id.begin(), id.end()}};
    return open_report(**found, desk, key).value_or("<does not open>");
}

std::string report_id_of(const http_reply& reply) {
    BOOST_REQUIRE_MESSAGE(reply.status == 201u, reply.body);
    return std::string(parse_body(reply).at("id").as_string());
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(desk_keys, desk_instance)

BOOST_AUTO_TEST_CASE(a_named_holder_inits_the_desk_which_is_then_offered_at_once) {
    // Registered, no key: not offered to reporters, neither as a desk nor in routing.
    BOOST_TEST(!served_key_id());
    BOOST_TEST(!routed());
    auto view = desk_view(bob);
    BOOST_TEST(view.at("desk").as_string() == desk);
    BOOST_TEST((strings_of(view.at("caseworkers")) == std::vector<std::string>{"alice", "bob"}));
    BOOST_TEST((strings_of(view.at("holders")) == std::vector<std::string>{"alice"}));
    BOOST_TEST(view.at("key_id").is_null());
    BOOST_TEST(view.at("rotate").as_bool() == false);
    // Not a caseworker of the desk: no view.
    BOOST_TEST(as(carol, "GET", std::string("/api/v1/desks/") + desk).status == 403u);
    BOOST_TEST(client().get(std::string("/api/v1/desks/") + desk).status == 401u);

    const auto key = make_desk_key();
    // bob is a caseworker but not a named holder.
    BOOST_TEST(upload(bob, key, {grant_json(key, bob, bob)}).status == 403u);
    // The uploader's own grant is required.
    auto missing = upload(alice, key, {});
    BOOST_TEST(missing.status == 422u);
    BOOST_TEST(error_code_of(missing) == "consent_violation");
    // A grant to someone who is not a caseworker of the desk.
    auto outsider =
        upload(alice, key, {grant_json(key, alice, alice), grant_json(key, carol, alice)});
    BOOST_TEST(outsider.status == 422u);
    BOOST_TEST(error_code_of(outsider) == "consent_violation");
    // A grant signed by someone else than its `by`.
    auto forged = grant_json(key, alice, alice);
    auto signed_by_bob = grant_json(key, alice, bob);
    forged["signature"] = signed_by_bob["signature"];
    auto bad = upload(alice, key, {forged});
    BOOST_TEST(bad.status == 422u);
    BOOST_TEST(error_code_of(bad) == "bad_signature");
    BOOST_TEST(!served_key_id());
    BOOST_TEST(grants_stored() == 0);

    const auto made = upload(alice, key, {grant_json(key, alice, alice)});
    BOOST_REQUIRE_MESSAGE(made.status == 201u, made.body);
    BOOST_TEST(parse_body(made).at("key_id").as_string() == key.key_id);
    // The 201 comes after the intake serves the key: no waiting here.
    BOOST_TEST(served_key_id().value_or("none") == key.key_id);
    BOOST_TEST(routed());
    const auto id = report_id_of(report_to(key.public_key, "eerste melding"));
    auto listed = keys_of(alice);
    BOOST_REQUIRE_EQUAL(listed.size(), 1u);
    auto opened = open_listed(listed[0], alice, alice);
    BOOST_REQUIRE(opened);
    BOOST_TEST(opened_report(instance, id, key.public_key, std::move(*opened)) ==
               plaintext("eerste melding"));

    view = desk_view(alice);
    BOOST_TEST(view.at("key_id").as_string() == key.key_id);
    BOOST_TEST((strings_of(view.at("holders")) == std::vector<std::string>{"alice"}));
    BOOST_TEST(view.at("rotate").as_bool() == false);
    // The same key again is refused; alice is now the holder, bob still may not upload.
    BOOST_TEST(upload(alice, key, {grant_json(key, alice, alice)}).status == 400u);
    const auto other = make_desk_key();
    BOOST_TEST(upload(bob, other, {grant_json(other, bob, bob)}).status == 403u);

    // Nothing the server keeps opens a report: no desk secret key in any of its files.
    BOOST_TEST(instance.stop() == 0);
    BOOST_TEST(files_with_a_secret_key(instance.dir(), {key.public_key}).empty());
}

BOOST_AUTO_TEST_CASE(a_granted_colleague_reads_an_older_report_and_bad_grants_store_nothing) {
    const auto key = make_desk_key();
    BOOST_REQUIRE_EQUAL(upload(alice, key, {grant_json(key, alice, alice)}).status, 201u);
    const auto older = report_id_of(report_to(key.public_key, "melding van voor bob"));
    BOOST_TEST(keys_of(bob).empty());
    const auto grants = std::string("/api/v1/desk-keys/grants");
    const auto before = grants_stored();

    // A bad signature: refused, nothing stored.
    auto tampered = grant_json(key, bob, alice);
    auto sig = crypto::base64url_decode(tampered["signature"].as_string()).value();
    sig[0] ^= 1;
    tampered["signature"] = crypto::base64url_encode(sig);
    auto reply = post(alice, grants, tampered);
    BOOST_TEST(reply.status == 422u);
    BOOST_TEST(error_code_of(reply) == "bad_signature");
    // By someone who does not hold the key (bob, to himself): 403.
    reply = post(bob, grants, grant_json(key, bob, bob));
    BOOST_TEST(reply.status == 403u);
    BOOST_TEST(error_code_of(reply) == "forbidden");
    // `by` must be the caller.
    BOOST_TEST(post(bob, grants, grant_json(key, bob, alice)).status == 403u);
    // To someone who is not a caseworker of the desk.
    reply = post(alice, grants, grant_json(key, carol, alice));
    BOOST_TEST(reply.status == 422u);
    BOOST_TEST(error_code_of(reply) == "consent_violation");
    // A malformed grant.
    auto short_wrapped = grant_json(key, bob, alice);
    short_wrapped["wrapped"] = "AAAA";
    BOOST_TEST(post(alice, grants, short_wrapped).status == 400u);
    BOOST_TEST(grants_stored() == before);
    BOOST_TEST(keys_of(bob).empty());

    reply = post(alice, grants, grant_json(key, bob, alice));
    BOOST_REQUIRE_MESSAGE(reply.status == 201u, reply.body);
    BOOST_TEST(reply.body == "{}");
    const auto listed = keys_of(bob);
    BOOST_REQUIRE_EQUAL(listed.size(), 1u);
    // bob trusts the key only because alice's signature and the key id check out.
    BOOST_TEST(!open_listed(listed[0], bob, carol));
    auto opened = open_listed(listed[0], bob, alice);
    BOOST_REQUIRE(opened);
    BOOST_TEST(opened_report(instance, older, key.public_key, std::move(*opened)) ==
               plaintext("melding van voor bob"));
    // Now a holder, bob may grant too (to alice again: the grant is replaced).
    BOOST_TEST(post(bob, grants, grant_json(key, alice, bob)).status == 201u);
    BOOST_TEST(
        (strings_of(desk_view(bob).at("holders")) == std::vector<std::string>{"alice", "bob"}));
}

BOOST_AUTO_TEST_CASE(rotation_keeps_the_old_key_listed_and_accepted_and_a_leaver_prompts_it) {
    const auto first = make_desk_key();
    BOOST_REQUIRE_EQUAL(upload(alice, first, {grant_json(first, alice, alice)}).status, 201u);
    BOOST_REQUIRE_EQUAL(
        post(alice, "/api/v1/desk-keys/grants", grant_json(first, bob, alice)).status, 201u);

    // A rotation must re-grant to every current holder (bob too).
    const auto second = make_desk_key();
    auto reply = upload(alice, second, {grant_json(second, alice, alice)});
    BOOST_TEST(reply.status == 422u);
    BOOST_TEST(error_code_of(reply) == "consent_violation");
    BOOST_TEST(served_key_id().value_or("none") == first.key_id);
    reply = upload(bob, second, {grant_json(second, alice, bob), grant_json(second, bob, bob)});
    BOOST_REQUIRE_MESSAGE(reply.status == 201u, reply.body);
    BOOST_TEST(served_key_id().value_or("none") == second.key_id);

    // The old key is still accepted for the grace days (30 by default), and listed.
    const auto old_report = report_id_of(report_to(first.public_key, "nog naar de oude sleutel"));
    const auto listed = keys_of(alice);
    BOOST_REQUIRE_EQUAL(listed.size(), 2u);
    BOOST_TEST(listed[0].at("key_id").as_string() == first.key_id);
    BOOST_TEST(listed[1].at("key_id").as_string() == second.key_id);
    auto old_secret = open_listed(listed[0], alice, alice);
    BOOST_REQUIRE(old_secret);
    BOOST_TEST(opened_report(instance, old_report, first.public_key, std::move(*old_secret)) ==
               plaintext("nog naar de oude sleutel"));
    BOOST_TEST(desk_view(alice).at("rotate").as_bool() == false);

    // bob is disabled: the remaining holder is prompted to rotate.
    {
        auto db = open_db();
        BOOST_REQUIRE(store::staff_records(db).disable("bob"));
    }
    auto view = desk_view(alice);
    BOOST_TEST(view.at("rotate").as_bool() == true);
    BOOST_TEST((strings_of(view.at("holders")) == std::vector<std::string>{"alice"}));
    BOOST_TEST((strings_of(view.at("caseworkers")) == std::vector<std::string>{"alice"}));
    // The rotation needs no grant for bob any more, and takes none.
    const auto third = make_desk_key();
    reply = upload(alice, third, {grant_json(third, alice, alice), grant_json(third, bob, alice)});
    BOOST_TEST(reply.status == 422u);
    reply = upload(alice, third, {grant_json(third, alice, alice)});
    BOOST_REQUIRE_MESSAGE(reply.status == 201u, reply.body);
    view = desk_view(alice);
    BOOST_TEST(view.at("rotate").as_bool() == false);
    BOOST_TEST(view.at("key_id").as_string() == third.key_id);
    BOOST_TEST(keys_of(alice).size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
