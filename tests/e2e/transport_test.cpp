// The HTTPS transport: TLS versions, headers of PROTOCOL.md §9, limits,
// static files, nothing identifying in the logs, and a clean stop.
#include "tests/e2e/helpers.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/error.hpp>

using namespace signaal;
using namespace signaal::testing;

namespace {

bool handshake_succeeds(std::uint16_t port, long min_version, long max_version) {
    namespace net = boost::asio;
    net::io_context ioc;
    net::ssl::context tls(net::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(tls.native_handle(), min_version);
    SSL_CTX_set_max_proto_version(tls.native_handle(), max_version);
    SSL_CTX_set_security_level(tls.native_handle(), 0);
    tls.set_verify_mode(net::ssl::verify_none);
    net::ssl::stream<net::ip::tcp::socket> stream(ioc, tls);
    stream.lowest_layer().connect({net::ip::make_address("127.0.0.1"), port});
    boost::system::error_code ec;
    stream.handshake(net::ssl::stream_base::client, ec);
    return !ec;
}

// The suite a handshake settles on when the client offers only `suite` (a TLS 1.2
// cipher name, or a TLS 1.3 suite name with `tls13`); empty when refused.
std::string negotiated(std::uint16_t port, const std::string& suite, bool tls13) {
    namespace net = boost::asio;
    net::io_context ioc;
    net::ssl::context tls(net::ssl::context::tls_client);
    auto* native = tls.native_handle();
    SSL_CTX_set_security_level(native, 0);
    const long version = tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
    SSL_CTX_set_min_proto_version(native, version);
    SSL_CTX_set_max_proto_version(native, version);
    if ((tls13 ? SSL_CTX_set_ciphersuites(native, suite.c_str())
               : SSL_CTX_set_cipher_list(native, suite.c_str())) != 1) {
        return {};
    }
    tls.set_verify_mode(net::ssl::verify_none);
    net::ssl::stream<net::ip::tcp::socket> stream(ioc, tls);
    stream.lowest_layer().connect({net::ip::make_address("127.0.0.1"), port});
    boost::system::error_code ec;
    stream.handshake(net::ssl::stream_base::client, ec);
    if (ec) {
        return {};
    }
    return SSL_CIPHER_get_name(SSL_get_current_cipher(stream.native_handle()));
}

// Every TLS 1.2 cipher this OpenSSL knows, weak ones included.
std::vector<std::string> every_tls12_cipher() {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL");
    SSL* ssl = SSL_new(ctx);
    std::vector<std::string> names;
    const auto* list = SSL_get_ciphers(ssl);
    for (int i = 0; i < sk_SSL_CIPHER_num(list); ++i) {
        const auto* cipher = sk_SSL_CIPHER_value(list, i);
        const std::string name = SSL_CIPHER_get_name(cipher);
        if (!name.starts_with("TLS_")) { // TLS 1.3 suites are tried on their own
            names.push_back(name);
        }
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    return names;
}

} // namespace

BOOST_AUTO_TEST_CASE(only_forward_secret_aead_suites_are_accepted) {
    test_instance instance;
    instance.start();
    const auto offered = every_tls12_cipher();
    BOOST_TEST_REQUIRE(offered.size() > 20u);
    std::vector<std::string> accepted;
    for (const auto& cipher : offered) {
        if (const auto name = negotiated(instance.port(), cipher, false); !name.empty()) {
            accepted.push_back(name);
        }
    }
    BOOST_TEST(!accepted.empty());
    for (const auto& name : accepted) {
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST(name.starts_with("ECDHE-")); // forward secret
            BOOST_TEST((name.find("-GCM-") != std::string::npos ||
                        name.find("CHACHA20-POLY1305") != std::string::npos)); // AEAD
        }
    }
    // TLS 1.3: every suite is forward secret; the AEADs offered by default are taken.
    for (const std::string suite :
         {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}) {
        BOOST_TEST(negotiated(instance.port(), suite, true) == suite);
    }
}

BOOST_AUTO_TEST_CASE(tls_below_1_2_is_refused) {
    test_instance instance;
    instance.start();
    BOOST_TEST(handshake_succeeds(instance.port(), TLS1_3_VERSION, TLS1_3_VERSION));
    BOOST_TEST(handshake_succeeds(instance.port(), TLS1_2_VERSION, TLS1_2_VERSION));
    BOOST_TEST(!handshake_succeeds(instance.port(), TLS1_VERSION, TLS1_1_VERSION));
}

BOOST_AUTO_TEST_CASE(every_answer_has_the_security_headers_and_no_cookie) {
    test_instance instance;
    instance.start();
    auto client = instance.client();
    for (const std::string path :
         {"/api/v1/config", "/api/v1/pow", "/healthz", "/", "/no-such-file"}) {
        BOOST_TEST_CONTEXT(path) {
            const auto reply = client.get(path);
            BOOST_TEST(reply.header("strict-transport-security").find("max-age=") == 0u);
            const auto csp = reply.header("content-security-policy");
            BOOST_TEST(csp.find("script-src 'self'") != std::string::npos);
            BOOST_TEST(csp.find("unsafe-inline") == std::string::npos);
            BOOST_TEST(csp.find("'unsafe-eval'") == std::string::npos);
            BOOST_TEST(reply.header("referrer-policy") == "no-referrer");
            BOOST_TEST(reply.header("x-content-type-options") == "nosniff");
            BOOST_TEST(reply.header("cache-control") == "no-store");
            BOOST_TEST(!reply.has_header("set-cookie"));
            BOOST_TEST(!reply.has_header("server"));
        }
    }
    BOOST_TEST(client.get("/no-such-file").status == 404u);
    BOOST_TEST(client.get("/api/v1/nothing").status == 404u);
    const auto wrong_method = client.request("DELETE", "/api/v1/config");
    BOOST_TEST(wrong_method.status == 405u);
    BOOST_TEST(wrong_method.header("allow") == "GET");
    BOOST_TEST(client.get("/healthz").status == 200u);
}

BOOST_AUTO_TEST_CASE(static_files_are_served_compressed_when_accepted) {
    test_instance instance;
    instance.start();
    auto client = instance.client();
    const auto plain = client.get("/");
    BOOST_TEST(plain.status == 200u);
    BOOST_TEST(plain.body == "<!doctype html><title>Signaal</title>");
    BOOST_TEST(plain.header("content-type") == "text/html; charset=utf-8");
    BOOST_TEST(plain.header("vary") == "Accept-Encoding");
    const auto gzip =
        client.request("GET", "/index.html", {}, {}, {{"Accept-Encoding", "br;q=0, gzip"}});
    BOOST_TEST(gzip.header("content-encoding") == "gzip");
    BOOST_TEST(gzip.body == "gzip-variant");
    BOOST_TEST(client.get("/../signaal.toml").status == 404u);
    BOOST_TEST(client.get("/index.html.gz").status == 404u);
}

BOOST_AUTO_TEST_CASE(oversized_headers_and_garbage_are_refused) {
    test_instance instance;
    instance.start();
    auto client = instance.client();
    const auto big = client.raw(
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n");
    BOOST_TEST(big.status == 431u);
    const auto garbage = client.raw("NOT HTTP AT ALL\r\n\r\n");
    BOOST_TEST(garbage.status == 400u);
    BOOST_TEST(client.get("/healthz").status == 200u); // the server is still there
}

BOOST_AUTO_TEST_CASE(connections_over_the_limit_are_closed) {
    test_instance instance({}, "[limits]\nmax_connections = 2");
    instance.start();
    auto first = instance.client();
    auto second = instance.client();
    BOOST_TEST(first.get("/healthz").status == 200u);
    BOOST_TEST(second.get("/healthz").status == 200u);
    auto third = instance.client();
    BOOST_CHECK_THROW(third.get("/healthz"), std::exception);
    first = instance.client(); // the old first connection is closed by the move
    // Once the server has noticed the close, a slot is free again: each try is
    // a whole TLS handshake, refused until then.
    unsigned status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (status != 200 && std::chrono::steady_clock::now() < deadline) {
        try {
            auto fourth = instance.client();
            status = fourth.get("/healthz").status;
        } catch (const std::exception&) {
        }
    }
    BOOST_TEST(status == 200u);
}

BOOST_AUTO_TEST_CASE(nothing_identifying_reaches_the_log_and_sigterm_stops_cleanly) {
    test_instance instance;
    instance.start();
    {
        auto client = instance.client();
        const auto reply =
            client.request("GET", "/api/v1/config", {}, {}, {{"User-Agent", "Tracer-Agent/7.7"}});
        BOOST_TEST(reply.status == 200u);
        auto body = sealed_report(instance, {"care"}, "log test");
        BOOST_TEST(instance.submit(client, std::move(body)).status == 201u);
        // A body the server reads in the clear (the report itself it cannot read).
        BOOST_TEST(client.post_json("/api/v1/reports", R"({"Tracer-Body": )").status == 400u);
    }
    BOOST_TEST(instance.stop() == 0);
    const auto log = instance.output();
    BOOST_TEST(log.find("Tracer-Agent") == std::string::npos);
    BOOST_TEST(log.find("Tracer-Body") == std::string::npos);
    // The listening line names the bound address once; no peer address follows.
    const auto first = log.find("127.0.0.1");
    BOOST_TEST(first != std::string::npos);
    BOOST_TEST(log.find("127.0.0.1", first + 1) == std::string::npos);
    BOOST_TEST(log.find("stopped") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_slow_request_is_cut_off) {
    test_instance instance({}, "[limits]\nidle_timeout_seconds = 1\nread_timeout_seconds = 1");
    instance.start();
    auto client = instance.client();
    // Headers that never end: the server closes the connection after its idle
    // timeout (1 s), long before the client's own deadline (20 s) would.
    client.set_timeout(std::chrono::seconds(20));
    bool closed_by_server = false;
    try {
        (void)client.raw("GET / HTTP/1.1\r\nHost: localhost\r\n");
    } catch (const boost::system::system_error& e) {
        closed_by_server = e.code() != boost::beast::error::timeout;
    }
    BOOST_TEST(closed_by_server);
    BOOST_TEST(client.get("/healthz").status == 200u);
}

BOOST_AUTO_TEST_CASE(a_bad_config_stops_start_up_and_names_the_key) {
    test_instance instance({}, "[limits]\nmax_connections = \"many\"");
    BOOST_CHECK_EXCEPTION(instance.start(), std::runtime_error, [](const std::runtime_error& e) {
        return std::string(e.what()).find("limits.max_connections") != std::string::npos;
    });
}
