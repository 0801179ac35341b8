// Staff sign-in over TLS on loopback (PROTOCOL.md §6): origin-bound signatures
// over single-use challenges, tokens that logout and disabling end, the staff
// lookup, and the audit trail it leaves.
#include "crypto/base64url.hpp"
#include "crypto/random.hpp"
#include "server/store/audit_log.hpp"
#include "tests/e2e/admin_runner.hpp"
#include "tests/e2e/helpers.hpp"
#include "tests/support/staff_member.hpp"

using namespace signaal;
using namespace signaal::testing;

namespace {

std::vector<store::audit_entry> audit_rows(const test_instance& instance) {
    auto db = store::database::open(instance.database(), store::open_mode::read_only);
    BOOST_REQUIRE(db);
    store::audit_log log(*db);
    auto rows = log.list(std::nullopt);
    BOOST_REQUIRE_MESSAGE(rows, rows.error().message);
    return *rows;
}

struct signed_in_instance {
    signed_in_instance() : instance({}, "[staff]\ntoken_lifetime_seconds = 3600\n") {
        ann.id = "ann";
        ann.desks = {"care", "police"};
        ann.add_to(instance.database());
        cora.id = "cora";
        cora.role = "coordinator";
        cora.add_to(instance.database());
        instance.start();
    }
    std::string origin() const { return "https://127.0.0.1:" + std::to_string(instance.port()); }

    test_instance instance;
    staff_member ann;
    staff_member cora;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(staff_auth, signed_in_instance)

BOOST_AUTO_TEST_CASE(a_sign_in_for_each_loopback_origin_gives_a_token_for_staff_routes) {
    auto client = instance.client();
    const auto port = std::to_string(instance.port());
    for (const auto& origin :
         {"https://127.0.0.1:" + port, "https://localhost:" + port, "https://[::1]:" + port}) {
        BOOST_TEST_CONTEXT(origin) {
            const auto reply = sign_in(client, ann, origin);
            BOOST_REQUIRE_MESSAGE(reply.status == 200u, reply.body);
            const auto doc = parse_body(reply);
            const auto token = std::string(doc.at("token").as_string());
            BOOST_TEST(crypto::base64url_decode_exact(token, 32).has_value());
            BOOST_TEST(doc.at("expires_in").as_int64() == 3600); // [staff] token_lifetime_seconds
            BOOST_TEST(doc.at("role").as_string() == "caseworker");
            BOOST_TEST(json::serialize(doc.at("desks")) == R"(["care","police"])");

            const auto me = with_token(client, "GET", "/api/v1/staff/ann", token);
            BOOST_REQUIRE_MESSAGE(me.status == 200u, me.body);
            const auto record = parse_body(me);
            BOOST_TEST(record.at("id").as_string() == "ann");
            BOOST_TEST(record.at("role").as_string() == "caseworker");
            BOOST_TEST(json::serialize(record.at("desks")) == R"(["care","police"])");
            BOOST_TEST(record.at("sign_pk").as_string() ==
                       crypto::base64url_encode(ann.sign.public_key));
            BOOST_TEST(record.at("box_pk").as_string() ==
                       crypto::base64url_encode(ann.box.public_key));
        }
    }
    // A coordinator signs in with no desks, and may look a colleague up too.
    const auto reply = sign_in(client, cora, origin());
    BOOST_REQUIRE_MESSAGE(reply.status == 200u, reply.body);
    const auto doc = parse_body(reply);
    BOOST_TEST(doc.at("role").as_string() == "coordinator");
    BOOST_TEST(json::serialize(doc.at("desks")) == "[]");
    const auto token = std::string(doc.at("token").as_string());
    const auto looked_up = with_token(client, "GET", "/api/v1/staff/ann", token);
    BOOST_TEST(looked_up.status == 200u);
    BOOST_TEST(with_token(client, "GET", "/api/v1/staff/nobody", token).status == 404u);
    BOOST_TEST(with_token(client, "GET", "/api/v1/staff/Bad!", token).status == 404u);
}

BOOST_AUTO_TEST_CASE(every_failed_sign_in_is_the_same_401_and_leaves_no_trace) {
    auto client = instance.client();
    const auto refused = [&](const http_reply& reply) {
        BOOST_TEST(reply.status == 401u);
        BOOST_TEST(error_code_of(reply) == "unauthorized");
        return reply.body;
    };
    std::vector<std::string> bodies;
    // A signature for another origin: a look-alike server, another port, another scheme.
    for (const auto& other : {std::string("https://signaal.example.org"),
                              "https://127.0.0.1:" + std::to_string(instance.port() + 1),
                              "http://127.0.0.1:" + std::to_string(instance.port()),
                              std::string("https://127.0.0.1")}) {
        BOOST_TEST_CONTEXT(other) {
            bodies.push_back(refused(sign_in(client, ann, other)));
        }
    }
    // Someone unknown, and someone signing as ann with their own key.
    staff_member stranger;
    stranger.id = "stranger";
    bodies.push_back(refused(sign_in(client, stranger, origin())));
    bodies.push_back(
        refused(post_sign_in(client, stranger, "ann", origin(), fetch_challenge(client))));
    // A challenge the server never gave, and a reused one.
    bodies.push_back(refused(post_sign_in(client, ann, "ann", origin(), crypto::random_bytes(32))));
    const auto challenge = fetch_challenge(client);
    BOOST_REQUIRE(post_sign_in(client, ann, "ann", origin(), challenge).status == 200u);
    bodies.push_back(refused(post_sign_in(client, ann, "ann", origin(), challenge)));
    // A failed attempt uses its challenge up as well.
    const auto tried = fetch_challenge(client);
    bodies.push_back(refused(post_sign_in(client, stranger, "ann", origin(), tried)));
    bodies.push_back(refused(post_sign_in(client, ann, "ann", origin(), tried)));
    // Each refusal reads the same: it does not tell which check failed.
    for (const auto& body : bodies) {
        BOOST_TEST(body == bodies.front());
    }
    // Only the one good sign-in is in the audit trail.
    const auto rows = audit_rows(instance);
    BOOST_REQUIRE_EQUAL(rows.size(), 1u);
    BOOST_TEST((rows[0] == store::audit_entry{today(), "ann", store::audit_action::sign_in, {}}));
}

BOOST_AUTO_TEST_CASE(malformed_sign_ins_are_400_and_challenges_take_no_body) {
    auto client = instance.client();
    const auto challenge = crypto::base64url_encode(fetch_challenge(client));
    const auto signature = crypto::base64url_encode(crypto::random_bytes(64));
    const std::vector<std::string> bodies = {
        "not json",
        "[]",
        R"({"challenge":")" + challenge + R"(","signature":")" + signature + R"("})",
        R"({"staff":"ann","signature":")" + signature + R"("})",
        R"({"staff":"ann","challenge":")" + challenge + R"("})",
        R"({"staff":5,"challenge":")" + challenge + R"(","signature":")" + signature + R"("})",
        R"({"staff":"ann","challenge":")" + challenge + R"(=","signature":")" + signature + R"("})",
        R"({"staff":"ann","challenge":"AAAA","signature":")" + signature + R"("})",
        R"({"staff":"ann","challenge":")" + challenge + R"(","signature":"AAAA"})",
    };
    for (const auto& body : bodies) {
        BOOST_TEST_CONTEXT(body) {
            const auto reply = client.post_json("/api/v1/auth/staff", body);
            BOOST_TEST(reply.status == 400u);
            BOOST_TEST(error_code_of(reply) == "bad_request");
        }
    }
    BOOST_TEST(client.request("POST", "/api/v1/auth/staff", "{}", "text/plain").status == 415u);
    BOOST_TEST(client.get("/api/v1/auth/staff").status == 405u);
    BOOST_TEST(client.get("/api/v1/auth/challenge").status == 405u);
    BOOST_TEST(client.post_json("/api/v1/auth/challenge", "{}").status == 200u);
    BOOST_TEST(client.post_json("/api/v1/auth/challenge", "[]").status == 400u);
    BOOST_TEST(client.request("POST", "/api/v1/auth/challenge", "x", "text/plain").status == 415u);
    BOOST_TEST(audit_rows(instance).empty());
}

BOOST_AUTO_TEST_CASE(forged_missing_and_logged_out_tokens_are_401) {
    auto client = instance.client();
    const auto forged = crypto::base64url_encode(crypto::random_bytes(32));
    BOOST_TEST(with_token(client, "GET", "/api/v1/staff/ann", forged).status == 401u);
    BOOST_TEST(client.get("/api/v1/staff/ann").status == 401u);
    BOOST_TEST(
        client.request("GET", "/api/v1/staff/ann", {}, {}, {{"Authorization", "Basic x"}}).status ==
        401u);

    const auto token = signed_in_token(client, ann, origin());
    const auto other = signed_in_token(client, ann, origin());
    BOOST_TEST(with_token(client, "GET", "/api/v1/staff/ann", token).status == 200u);
    const auto out = with_token(client, "POST", "/api/v1/auth/logout", token);
    BOOST_TEST(out.status == 204u);
    BOOST_TEST(out.body.empty());
    BOOST_TEST(with_token(client, "GET", "/api/v1/staff/ann", token).status == 401u);
    BOOST_TEST(with_token(client, "POST", "/api/v1/auth/logout", token).status == 401u);
    // Logout ends that token only.
    BOOST_TEST(with_token(client, "GET", "/api/v1/staff/ann", other).status == 200u);
    BOOST_TEST(client.request("POST", "/api/v1/auth/logout").status == 401u);
    BOOST_TEST(with_token(client, "GET", "/api/v1/auth/logout", other).status == 405u);
}

BOOST_AUTO_TEST_CASE(signaal_admin_staff_disable_ends_the_tokens_of_a_running_server) {
    auto client = instance.client();
    const auto token = signed_in_token(client, ann, origin());
    const auto cora_token = signed_in_token(client, cora, origin());
    BOOST_REQUIRE(with_token(client, "GET", "/api/v1/staff/ann", token).status == 200u);

    const auto [code, out] = run_admin(instance, {"staff", "disable", "ann"});
    BOOST_REQUIRE_EQUAL(code, 0);
    // The event: the server's watcher sees the commit and ends ann's tokens.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    unsigned status = 200;
    while (status == 200 && std::chrono::steady_clock::now() < deadline) {
        status = with_token(client, "GET", "/api/v1/staff/cora", token).status;
    }
    BOOST_TEST(status == 401u);
    // Signing in again is refused like any failed sign-in; others stay signed in.
    BOOST_TEST(sign_in(client, ann, origin()).status == 401u);
    BOOST_TEST(with_token(client, "GET", "/api/v1/staff/cora", cora_token).status == 200u);
    // A disabled colleague is still looked up (old grants name them), marked disabled.
    const auto record = with_token(client, "GET", "/api/v1/staff/ann", cora_token);
    BOOST_REQUIRE(record.status == 200u);
    BOOST_TEST(parse_body(record).at("disabled").as_bool());

    // The trail: two sign-ins and the disable, days only, no report, nothing of reporters;
    // signaal-admin audit prints it.
    const auto rows = audit_rows(instance);
    BOOST_REQUIRE_EQUAL(rows.size(), 3u);
    BOOST_TEST((rows[2].action == store::audit_action::disable));
    for (const auto& row : rows) {
        BOOST_TEST(row.day == today());
        BOOST_TEST(row.report_id.empty());
    }
    const auto [audit_code, printed] = run_admin(instance, {"audit"});
    BOOST_TEST(audit_code == 0);
    BOOST_TEST(printed == today() + "  ann  sign_in\n" + today() + "  cora  sign_in\n" + today() +
                              "  ann  disable\n");
}

BOOST_AUTO_TEST_CASE(the_trail_holds_nothing_of_a_report_a_reporter_sent) {
    auto client = instance.client();
    const auto report = instance.submit(client, sealed_report(instance, {"care"}, "audit e2e"));
    BOOST_REQUIRE_MESSAGE(report.status == 201u, report.body);
    (void)signed_in_token(client, ann, origin());
    const auto rows = audit_rows(instance);
    BOOST_REQUIRE_EQUAL(rows.size(), 1u);
    BOOST_TEST((rows[0] == store::audit_entry{today(), "ann", store::audit_action::sign_in, {}}));
}

BOOST_AUTO_TEST_SUITE_END()
