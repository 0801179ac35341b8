// The onion listener ([server] onion_listen): plain HTTP on loopback for a Tor
// onion service in front. The same routes and pages as the TLS listener of the
// same server, without Strict-Transport-Security and without a redirect to
// https; sign-in works for the .onion origin listed in instance.origins.
#include "tests/e2e/helpers.hpp"
#include "tests/support/staff_member.hpp"

#include <fstream>
#include <sstream>

using namespace signaal;
using namespace signaal::testing;

namespace {

// A v3 onion address has 56 base32 characters; this one is made up.
const std::string onion_origin =
    "http://signaalexampleonionaddressforthetestsonlyxxxxxxxxxxxx.onion";

// Puts `line` into the [server] table of the instance's config.
void add_server_line(const test_instance& instance, const std::string& line) {
    const auto path = instance.dir() / "signaal.toml";
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    auto config = text.str();
    const std::string table = "[server]\n";
    config.insert(config.find(table) + table.size(), line + "\n");
    std::ofstream(path) << config;
}

// The port in "... event=onion_listening listen=http://127.0.0.1:P".
std::uint16_t onion_port(const test_instance& instance) {
    const std::string marker = "event=onion_listening listen=http://127.0.0.1:";
    BOOST_REQUIRE(instance.wait_for_output(marker));
    const auto output = instance.output();
    const auto at = output.find(marker) + marker.size();
    return static_cast<std::uint16_t>(std::stoi(output.substr(at))); // digits to the end
}

struct onion_instance {
    onion_instance() : instance({}, "[instance]\norigins = [\"" + onion_origin + "\"]\n") {
        add_server_line(instance, "onion_listen = \"127.0.0.1:0\"");
        std::filesystem::create_directories(instance.dir() / "web" / "follow-up");
        std::ofstream(instance.dir() / "web" / "follow-up" / "index.html")
            << "<!doctype html><title>Follow-up</title>";
        ann.id = "ann";
        ann.desks = {"care"};
        ann.add_to(instance.database());
        instance.start();
        port = onion_port(instance);
    }
    https_client onion_client() const {
        return https_client::plain("127.0.0.1", port, onion_origin.substr(7));
    }

    test_instance instance;
    staff_member ann;
    std::uint16_t port = 0;
};

// No HSTS, no way to https, and the rest of PROTOCOL.md §9's headers.
void check_onion_headers(const http_reply& reply) {
    BOOST_TEST(!reply.has_header("strict-transport-security"));
    BOOST_TEST(reply.header("location").find("https:") == std::string::npos);
    const auto csp = reply.header("content-security-policy");
    BOOST_TEST(csp.find("script-src 'self'") != std::string::npos);
    BOOST_TEST(csp.find("unsafe-inline") == std::string::npos);
    BOOST_TEST(reply.header("referrer-policy") == "no-referrer");
    BOOST_TEST(reply.header("x-content-type-options") == "nosniff");
    BOOST_TEST(reply.header("cache-control") == "no-store");
    BOOST_TEST(!reply.has_header("set-cookie"));
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(onion, onion_instance)

BOOST_AUTO_TEST_CASE(the_onion_listener_serves_the_same_routes_without_hsts_or_https) {
    auto onion = onion_client();
    const auto page = onion.get("/");
    BOOST_TEST(page.status == 200u);
    BOOST_TEST(page.body.find("<title>Signaal</title>") != std::string::npos);
    check_onion_headers(page);

    const auto config = onion.get("/api/v1/config");
    BOOST_TEST(config.status == 200u);
    BOOST_TEST(config.body == instance.client().get("/api/v1/config").body);
    check_onion_headers(config);

    // "/follow-up" as people type it: a relative redirect, never to https.
    const auto moved = onion.get("/follow-up");
    BOOST_TEST(moved.status == 301u);
    BOOST_TEST(moved.header("location") == "/follow-up/");
    check_onion_headers(moved);
    BOOST_TEST(onion.get("/follow-up/").status == 200u);

    const auto before = count_rows(instance.database(), "reports");
    const auto created = instance.submit(onion, sealed_report(instance, {"care"}, "via Tor"));
    BOOST_TEST_REQUIRE(created.status == 201u, created.body);
    check_onion_headers(created);
    BOOST_TEST(count_rows(instance.database(), "reports") == before + 1);

    // A refusal, answered before the handler, is without HSTS too.
    const auto refused = onion.raw("GET / HTTP/1.1\r\n\r\n");
    BOOST_TEST(refused.status == 400u);
    check_onion_headers(refused);
}

BOOST_AUTO_TEST_CASE(the_tls_listener_of_the_same_server_still_sends_hsts) {
    auto client = instance.client();
    for (const std::string path : {"/", "/api/v1/config", "/follow-up"}) {
        BOOST_TEST_CONTEXT(path) {
            BOOST_TEST(client.get(path).header("strict-transport-security") == "max-age=63072000");
        }
    }
}

BOOST_AUTO_TEST_CASE(staff_sign_in_for_the_onion_origin_works_through_the_onion_listener) {
    auto onion = onion_client();
    const auto reply = sign_in(onion, ann, onion_origin);
    BOOST_TEST_REQUIRE(reply.status == 200u, reply.body);
    check_onion_headers(reply);
    // Plain HTTP on loopback is no origin of its own: only the configured onion one.
    const auto loopback = "http://127.0.0.1:" + std::to_string(port);
    BOOST_TEST(sign_in(onion, ann, loopback).status == 401u);
}

BOOST_AUTO_TEST_CASE(the_live_stream_upgrade_is_answered_without_hsts) {
    auto onion = onion_client();
    const auto reply = onion.raw("GET /api/v1/stream HTTP/1.1\r\nHost: " + onion_origin.substr(7) +
                                 "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                 "Sec-WebSocket-Version: 13\r\n\r\n");
    BOOST_TEST(reply.status == 101u);
    BOOST_TEST(reply.header("sec-websocket-accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    BOOST_TEST(!reply.has_header("strict-transport-security"));
    BOOST_TEST(reply.header("referrer-policy") == "no-referrer");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(an_onion_listener_off_loopback_is_refused_with_a_clear_error) {
    for (const std::string address : {"0.0.0.0:0", "[::]:0", "192.0.2.1:8080"}) {
        BOOST_TEST_CONTEXT(address) {
            test_instance instance;
            add_server_line(instance, "onion_listen = \"" + address + "\"");
            std::string error;
            try {
                instance.start();
            } catch (const std::runtime_error& e) {
                error = e.what();
            }
            BOOST_TEST(error.find("server.onion_listen: must be a loopback address") !=
                           std::string::npos,
                       error);
        }
    }
    // The control: a loopback address starts.
    test_instance instance;
    add_server_line(instance, "onion_listen = \"127.0.0.2:0\"");
    instance.start();
    BOOST_TEST(instance.wait_for_output("event=onion_listening listen=http://127.0.0.2:"));
}
