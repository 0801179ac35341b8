#define BOOST_TEST_MODULE http_test
// The transport without the API: the request loop over Beast's in-memory test
// stream (what RFC 9112 forbids, Expect: 100-continue, a handler that throws),
// and real TLS sessions in this process, where probe handlers show that two
// connections are served at the same moment and that a failure closes only
// its own connection.
#include "server/common/logger.hpp"
#include "server/config/settings.hpp"
#include "server/http/http_session.hpp"
#include "server/http/listener.hpp"
#include "server/http/request_loop.hpp"
#include "server/http/tls_context.hpp"
#include "server/tls/self_signed.hpp"
#include "tests/support/https_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stdlib.h>
#include <thread>

using namespace signaal;
namespace net = boost::asio;
namespace beast = boost::beast;

namespace {

constexpr std::string_view secret_marker = "marker-from-the-request-body";

// Answers 200 "ok"; throws on /throw (quoting the request, as a careless bug would)
// and throws a non-standard exception on /throw-int.
class probe_handler : public api::request_handler {
  public:
    net::awaitable<api::response> handle(api::request req) override {
        if (req.path == "/throw") {
            throw std::runtime_error("failed on " + req.body);
        }
        if (req.path == "/throw-int") {
            throw 42;
        }
        api::response r;
        r.body = "ok " + req.method + " " + req.path + " " + std::to_string(req.body.size());
        co_return r;
    }
};

// The embedded defaults' limits: settings carry no second copy of them.
config::limits default_limits() {
    return config::load_defaults(".")->limit;
}

std::size_t count(std::string_view haystack, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string_view::npos;
         at = haystack.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

// What the sessions log, through the server's logger (and to $SIGNAAL_LOG_FILE,
// which the log scan reads after this test).
struct log_lines {
    std::function<void(signaal::log_event)> sink() {
        return [this](signaal::log_event event) { log.error(event); };
    }
    signaal::logger log{signaal::log_level::info, signaal::log_sinks([this](std::string_view line) {
                            std::lock_guard lock(mutex);
                            text.append(line);
                            logged.notify_all();
                        })};
    std::string all() {
        std::lock_guard lock(mutex);
        return text;
    }
    /// Waits until `needle` was logged `times` times; false after 20 s.
    bool wait_for(std::string_view needle, std::size_t times);
    std::mutex mutex;
    std::condition_variable logged;
    std::string text;
};

bool log_lines::wait_for(std::string_view needle, std::size_t times) {
    std::unique_lock lock(mutex);
    return logged.wait_for(lock, std::chrono::seconds(20),
                           [&] { return count(text, needle) >= times; });
}

// Feeds `bytes` to the request loop over an in-memory stream whose peer then
// sends nothing more; returns everything the loop wrote back.
std::string exchange(const std::string& bytes, api::request_handler& handler,
                     log_lines* log = nullptr, std::string_view upgrade_path = {},
                     std::optional<http::upgrade_request>* upgrade = nullptr) {
    net::io_context ioc;
    beast::test::stream server(ioc);
    beast::test::stream client(ioc);
    server.connect(client);
    server.append(bytes);
    server.close_remote();
    const config::limits limits = default_limits();
    http::connection_tracker tracker(4);
    http::request_loop_context ctx{handler, limits, tracker, log ? log->sink() : nullptr,
                                   upgrade_path};
    beast::flat_buffer buffer;
    bool busy = false;
    net::co_spawn(
        ioc, http::serve_requests(server, buffer, ctx, busy),
        [upgrade](const std::exception_ptr& e, std::optional<http::upgrade_request> handed_back) {
            if (e) {
                std::rethrow_exception(e);
            }
            if (upgrade != nullptr) {
                *upgrade = std::move(handed_back);
            }
        });
    ioc.run();
    return std::string(client.str());
}

} // namespace

BOOST_AUTO_TEST_SUITE(request_loop)

BOOST_AUTO_TEST_CASE(keep_alive_requests_are_answered_in_order) {
    probe_handler handler;
    const auto out = exchange("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                              "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
                              handler);
    BOOST_TEST(count(out, "HTTP/1.1 200 OK") == 2u);
    BOOST_TEST(out.find("ok GET /a 0") < out.find("ok POST /b 3"));
    BOOST_TEST(out.find("ok POST /b 3") != std::string::npos);
    BOOST_TEST(out.find("Strict-Transport-Security") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_transfer_encoding_not_ending_in_chunked_is_refused_and_closes) {
    probe_handler handler;
    // Without the check, the "body" would be read as a second request.
    const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    for (const std::string coding : {"gzip", "chunked, gzip", "identity"}) {
        BOOST_TEST_CONTEXT(coding) {
            const auto out =
                exchange("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding +
                             "\r\n\r\n" + smuggled,
                         handler);
            BOOST_TEST(out.find("HTTP/1.1 400 Bad Request") == 0u);
            BOOST_TEST(out.find("Connection: close") != std::string::npos);
            BOOST_TEST(count(out, "HTTP/1.1 ") == 1u);
            BOOST_TEST(out.find("smuggled") == std::string::npos);
        }
    }
    // gzip then chunked is a valid coding chain: chunked is last.
    const auto chained = exchange("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, "
                                  "chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                                  handler);
    BOOST_TEST(chained.find("ok POST /a 3") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_request_without_exactly_one_host_is_refused) {
    probe_handler handler;
    const auto none =
        exchange("GET / HTTP/1.1\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n", handler);
    BOOST_TEST(none.find("HTTP/1.1 400 Bad Request") == 0u);
    BOOST_TEST(count(none, "HTTP/1.1 ") == 1u);
    const auto two = exchange("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", handler);
    BOOST_TEST(two.find("HTTP/1.1 400 Bad Request") == 0u);
}

BOOST_AUTO_TEST_CASE(expect_100_continue_gets_its_interim_answer_first) {
    probe_handler handler;
    const auto out = exchange("POST /a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                              "Content-Length: 4\r\n\r\nbody",
                              handler);
    BOOST_TEST(out.find("HTTP/1.1 100 Continue\r\n\r\n") == 0u);
    BOOST_TEST(out.find("HTTP/1.1 200 OK") != std::string::npos);
    BOOST_TEST(out.find("ok POST /a 4") != std::string::npos);
    // Without the expectation there is no interim answer.
    const auto plain =
        exchange("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody", handler);
    BOOST_TEST(plain.find("100 Continue") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_handler_that_throws_gets_500_a_log_line_without_request_data_and_a_close) {
    probe_handler handler;
    log_lines log;
    const auto out =
        exchange("POST /throw HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                     std::to_string(secret_marker.size()) + "\r\n\r\n" +
                     std::string(secret_marker) + "GET /after HTTP/1.1\r\nHost: x\r\n\r\n",
                 handler, &log);
    BOOST_TEST(out.find("HTTP/1.1 500 Internal Server Error") == 0u);
    BOOST_TEST(out.find("Connection: close") != std::string::npos);
    BOOST_TEST(out.find("/after") == std::string::npos);
    BOOST_TEST(out.find(secret_marker) == std::string::npos);
    const auto logged = log.all();
    BOOST_TEST(logged.find("request_failed") != std::string::npos);
    BOOST_TEST(logged.find(secret_marker) == std::string::npos);
}

// The live stream's upgrade is handed back unanswered, for the WebSocket
// session to accept on the same connection; nothing read after it is lost to
// the request loop.
BOOST_AUTO_TEST_CASE(an_upgrade_on_the_stream_path_is_handed_back_unanswered) {
    probe_handler handler;
    const std::string upgrade = "GET /api/v1/stream HTTP/1.1\r\nHost: x\r\n"
                                "Connection: Upgrade\r\nUpgrade: websocket\r\n"
                                "Sec-WebSocket-Version: 13\r\n"
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    std::optional<http::upgrade_request> handed_back;
    const auto out = exchange("GET /first HTTP/1.1\r\nHost: x\r\n\r\n" + upgrade, handler, nullptr,
                              "/api/v1/stream", &handed_back);
    BOOST_TEST(count(out, "HTTP/1.1 ") == 1u); // only /first was answered
    BOOST_TEST(out.find("ok GET /first 0") != std::string::npos);
    BOOST_TEST_REQUIRE(handed_back.has_value());
    BOOST_TEST(handed_back->target() == "/api/v1/stream");

    // Elsewhere, or without a stream, an upgrade is a plain request for the handler.
    std::optional<http::upgrade_request> none;
    const auto elsewhere = exchange("GET /other HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                                    "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
                                    handler, nullptr, "/api/v1/stream", &none);
    BOOST_TEST(elsewhere.find("ok GET /other 0") != std::string::npos);
    BOOST_TEST(!none.has_value());
    const auto no_stream = exchange(upgrade, handler, nullptr, {}, &none);
    BOOST_TEST(no_stream.find("ok GET /api/v1/stream 0") != std::string::npos);
    BOOST_TEST(!none.has_value());
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// A real server in this process: TLS on 127.0.0.1, `threads` threads, each
// connection on a strand of its own, every request handed to `handler`.
class local_server {
  public:
    local_server(api::request_handler& handler, unsigned threads)
        : dir_(make_dir()), tls_(make_tls(dir_)), tracker_(16),
          session_{{handler, limits_, tracker_, log.sink()}, tracker_, tls_},
          ioc_(static_cast<int>(threads)), acceptor_(net::make_strand(ioc_)) {
        const net::ip::tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
        acceptor_.open(endpoint.protocol());
        acceptor_.bind(endpoint);
        acceptor_.listen();
        net::co_spawn(acceptor_.get_executor(), http::accept_connections(acceptor_, ioc_, session_),
                      net::detached);
        for (unsigned i = 0; i < threads; ++i) {
            pool_.emplace_back([this] { ioc_.run(); });
        }
    }
    ~local_server() {
        ioc_.stop();
        for (auto& t : pool_) {
            t.join();
        }
        tracker_.abandon(); // as the server does: no drain hook outlives ioc_
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    [[nodiscard]] std::size_t open_connections() const { return tracker_.open(); }

    testing::https_client client() const {
        return {"127.0.0.1", acceptor_.local_endpoint().port(), dir_ / "cert.pem"};
    }

    log_lines log;

  private:
    static std::filesystem::path make_dir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "signaal-http-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        return pattern;
    }
    static net::ssl::context make_tls(const std::filesystem::path& dir) {
        const auto pair = tls::ensure_self_signed(dir);
        if (!pair) {
            throw std::runtime_error(pair.error().message);
        }
        return http::make_server_tls(pair->certificate, pair->private_key);
    }

    std::filesystem::path dir_;
    net::ssl::context tls_;
    config::limits limits_ = default_limits();
    http::connection_tracker tracker_;
    http::session_context session_;
    net::io_context ioc_;
    net::ip::tcp::acceptor acceptor_;
    std::vector<std::thread> pool_;
};

// Holds each request until `expected` requests are inside it at the same time
// (or a deadline passes): connections served one after another never meet here.
class rendezvous_handler : public api::request_handler {
  public:
    explicit rendezvous_handler(int expected) : expected_(expected) {}

    net::awaitable<api::response> handle(api::request) override {
        const int now_inside = ++inside_;
        int seen = most_inside_.load();
        while (now_inside > seen && !most_inside_.compare_exchange_weak(seen, now_inside)) {
        }
        bool met = false;
        {
            std::unique_lock lock(mutex_);
            cv_.notify_all();
            met = cv_.wait_for(lock, std::chrono::seconds(20),
                               [&] { return most_inside_.load() >= expected_; });
        }
        --inside_;
        api::response r;
        r.body = met ? "met" : "alone";
        co_return r;
    }

    [[nodiscard]] int most_inside() const { return most_inside_.load(); }

  private:
    const int expected_;
    std::atomic<int> inside_{0};
    std::atomic<int> most_inside_{0};
    std::mutex mutex_;
    std::condition_variable cv_;
};

} // namespace

BOOST_AUTO_TEST_CASE(two_connections_are_inside_their_handlers_at_the_same_moment) {
    rendezvous_handler handler(2);
    local_server server(handler, 2);
    std::vector<std::string> bodies(2);
    std::vector<std::thread> clients;
    for (std::size_t i = 0; i < 2; ++i) {
        clients.emplace_back([&, i] {
            auto client = server.client();
            bodies[i] = client.get("/meet").body;
        });
    }
    for (auto& t : clients) {
        t.join();
    }
    BOOST_TEST(handler.most_inside() == 2);
    BOOST_TEST(bodies[0] == "met");
    BOOST_TEST(bodies[1] == "met");
}

// The server stops its io_context when the drain deadline passes with
// connections still open; their drain hooks hold strands of that io_context.
// Under AddressSanitizer, a hook left in the tracker past the io_context is a
// use after free (the server and local_server call abandon() for it).
BOOST_AUTO_TEST_CASE(a_connection_still_open_when_the_server_stops_leaves_no_hook_behind) {
    probe_handler handler;
    std::optional<testing::https_client> idle; // outlives the server
    {
        local_server server(handler, 2);
        idle.emplace(server.client());
        BOOST_TEST(idle->get("/kept-open").status == 200u);
        BOOST_TEST(server.open_connections() == 1u);
    }
}

BOOST_AUTO_TEST_CASE(a_failure_inside_a_session_closes_only_that_connection) {
    probe_handler handler;
    local_server server(handler, 2);
    auto bystander = server.client();
    BOOST_TEST(bystander.get("/before").status == 200u);

    auto victim = server.client();
    const auto failed = victim.request("POST", "/throw", std::string(secret_marker), "text/plain");
    BOOST_TEST(failed.status == 500u);
    BOOST_TEST(failed.header("connection") == "close");
    // An exception that is not a std::exception escapes the loop: the
    // connection is dropped without an answer, and logged all the same.
    auto dropped = server.client();
    BOOST_CHECK_THROW(dropped.request("POST", "/throw-int", std::string(secret_marker)),
                      std::exception);

    // The other connection, opened before, is still served on the same socket.
    const auto after = bystander.get("/after");
    BOOST_TEST(after.status == 200u);
    BOOST_TEST(after.body == "ok GET /after 0");
    BOOST_TEST(bystander.connections_opened() == 1u);
    BOOST_TEST(server.log.wait_for("_failed", 2));
    const auto logged = server.log.all();
    BOOST_TEST(logged.find(secret_marker) == std::string::npos);
}
