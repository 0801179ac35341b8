// The server's lean TLS stream (http::tls_stream) against OpenSSL's client
// through asio::ssl::stream, over real sockets on loopback, all on one thread:
// large writes both ways, close_notify and truncation mapped as Beast expects,
// a handshake that never finishes, cancellation, and a WebSocket that reads
// and writes at the same time and closes cleanly.
#include "server/http/tls_context.hpp"
#include "server/http/tls_stream.hpp"
#include "server/tls/self_signed.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <memory>
#include <stdlib.h>
#include <string>
#include <tuple>

using namespace signaal;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using namespace net::experimental::awaitable_operators;
using net::ip::tcp;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
using client_stream = ssl::stream<tcp::socket>;

std::string pattern(std::size_t size, char seed) {
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        out[i] = static_cast<char>(seed + static_cast<char>(i % 251));
    }
    return out;
}

struct tls_pair {
    tls_pair() : dir(make_dir()), server_tls(make_tls(dir)), acceptor(ioc) {
        const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
        acceptor.open(endpoint.protocol());
        acceptor.bind(endpoint);
        acceptor.listen();
        client_tls.set_verify_mode(ssl::verify_peer);
        client_tls.load_verify_file((dir / "cert.pem").string());
    }
    ~tls_pair() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }

    /// A connected server stream and client, before their handshake.
    net::awaitable<void> connect() {
        client = std::make_unique<client_stream>(ioc, client_tls);
        co_await client->next_layer().async_connect(acceptor.local_endpoint(), net::use_awaitable);
        auto socket = co_await acceptor.async_accept(net::use_awaitable);
        server = std::make_unique<http::tls_stream>(std::move(socket), server_tls);
    }

    /// Connected and through the TLS handshake.
    net::awaitable<void> handshake() {
        co_await connect();
        co_await (server->async_handshake(ssl::stream_base::server, net::use_awaitable) &&
                  client->async_handshake(ssl::stream_base::client, net::use_awaitable));
    }

    /// Runs `test` to its end; an exception inside it fails the test.
    template <class Test> void run(Test test) {
        bool finished = false;
        net::co_spawn(ioc, test(), [&finished](const std::exception_ptr& e) {
            finished = true;
            if (e) {
                std::rethrow_exception(e);
            }
        });
        ioc.run();
        BOOST_REQUIRE(finished);
    }

    static std::filesystem::path make_dir() {
        std::string name = (std::filesystem::temp_directory_path() / "signaal-tls-XXXXXX").string();
        if (::mkdtemp(name.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        return name;
    }
    static ssl::context make_tls(const std::filesystem::path& dir) {
        const auto pair = tls::ensure_self_signed(dir);
        if (!pair) {
            throw std::runtime_error(pair.error().message);
        }
        return http::make_server_tls(pair->certificate, pair->private_key);
    }

    std::filesystem::path dir;
    ssl::context server_tls;
    ssl::context client_tls{ssl::context::tls_client};
    net::io_context ioc;
    tcp::acceptor acceptor;
    std::unique_ptr<http::tls_stream> server;
    std::unique_ptr<client_stream> client;
};

} // namespace

BOOST_AUTO_TEST_SUITE(tls_stream)

BOOST_AUTO_TEST_CASE(large_writes_arrive_whole_and_in_order_both_ways) {
    tls_pair t;
    t.run([&]() -> net::awaitable<void> {
        co_await t.handshake();
        // Many small pieces and a large one, as Beast hands over a header and body.
        const std::string head = pattern(700, 'a');
        const std::string body = pattern(3 * 1024 * 1024 + 17, 'b');
        std::vector<net::const_buffer> pieces;
        for (std::size_t at = 0; at < head.size(); at += 7) {
            pieces.emplace_back(head.data() + at, std::min<std::size_t>(7, head.size() - at));
        }
        pieces.emplace_back(body.data(), body.size());
        const std::string upload = pattern(2 * 1024 * 1024 + 5, 'c');
        std::string downloaded(head.size() + body.size(), '\0');
        std::string uploaded(upload.size(), '\0');

        auto [sent, received, client_sent, server_received] =
            co_await (net::async_write(*t.server, pieces, net::use_awaitable) &&
                      net::async_read(*t.client, net::buffer(downloaded), net::use_awaitable) &&
                      net::async_write(*t.client, net::buffer(upload), net::use_awaitable) &&
                      net::async_read(*t.server, net::buffer(uploaded), net::use_awaitable));
        BOOST_TEST(sent == downloaded.size());
        BOOST_TEST(received == downloaded.size());
        BOOST_TEST((downloaded == head + body));
        BOOST_TEST(client_sent == upload.size());
        BOOST_TEST(server_received == upload.size());
        BOOST_TEST((uploaded == upload));
    });
}

BOOST_AUTO_TEST_CASE(a_close_notify_reads_as_the_end_of_an_http_stream) {
    tls_pair t;
    t.run([&]() -> net::awaitable<void> {
        co_await t.handshake();
        boost::system::error_code read_ec;
        boost::system::error_code server_shutdown_ec;
        boost::system::error_code client_shutdown_ec;
        auto server_side = [&]() -> net::awaitable<void> {
            beast::flat_buffer buffer;
            beast::http::request<beast::http::string_body> request;
            std::tie(read_ec, std::ignore) =
                co_await beast::http::async_read(*t.server, buffer, request, use_tuple);
            std::tie(server_shutdown_ec) = co_await t.server->async_shutdown(use_tuple);
        };
        // The client's shutdown ends when the server's close_notify arrives.
        auto client_side = [&]() -> net::awaitable<void> {
            std::tie(client_shutdown_ec) = co_await t.client->async_shutdown(use_tuple);
        };
        co_await (server_side() && client_side());
        BOOST_TEST((read_ec == beast::http::error::end_of_stream));
        BOOST_TEST(!server_shutdown_ec);
        BOOST_TEST(!client_shutdown_ec);
    });
}

BOOST_AUTO_TEST_CASE(a_peer_gone_without_close_notify_is_a_truncated_stream) {
    tls_pair t;
    t.run([&]() -> net::awaitable<void> {
        co_await t.handshake();
        const std::string hello = "hello";
        co_await net::async_write(*t.client, net::buffer(hello), net::use_awaitable);
        t.client->next_layer().close();
        std::string got(hello.size(), '\0');
        auto [ec, n] = co_await net::async_read(*t.server, net::buffer(got), use_tuple);
        BOOST_TEST(!ec);
        BOOST_TEST(got == hello);
        char more = 0;
        auto [end_ec, none] = co_await t.server->async_read_some(net::buffer(&more, 1), use_tuple);
        BOOST_TEST((end_ec == ssl::error::stream_truncated));
        BOOST_TEST(none == 0u);
    });
}

BOOST_AUTO_TEST_CASE(a_peer_gone_in_the_middle_of_a_record_is_a_truncated_stream) {
    tls_pair t;
    t.run([&]() -> net::awaitable<void> {
        co_await t.handshake();
        // An application data record announcing 200 bytes, then only 10 of them.
        const unsigned char partial[] = {0x17, 0x03, 0x03, 0x00, 0xc8, 1, 2, 3,
                                         4,    5,    6,    7,    8,    9, 10};
        co_await net::async_write(t.client->next_layer(), net::buffer(partial), net::use_awaitable);
        t.client->next_layer().shutdown(tcp::socket::shutdown_send);
        char byte = 0;
        auto [ec, n] = co_await t.server->async_read_some(net::buffer(&byte, 1), use_tuple);
        BOOST_TEST((ec == ssl::error::stream_truncated));
        BOOST_TEST(n == 0u);
    });
}

BOOST_AUTO_TEST_CASE(a_handshake_that_never_finishes_ends_at_its_deadline) {
    tls_pair t;
    t.run([&]() -> net::awaitable<void> {
        co_await t.connect(); // the client says nothing
        t.server->expires_after(std::chrono::milliseconds(50));
        auto [ec] = co_await t.server->async_handshake(ssl::stream_base::server, use_tuple);
        BOOST_TEST((ec == beast::error::timeout));
        BOOST_TEST(!t.server->socket().is_open());
        // A later operation fails the same way, as on beast::tcp_stream.
        char byte = 0;
        auto [later, n] = co_await t.server->async_read_some(net::buffer(&byte, 1), use_tuple);
        BOOST_TEST((later == beast::error::timeout));
    });
}

BOOST_AUTO_TEST_CASE(a_deadline_moved_on_or_dropped_does_not_fire) {
    tls_pair t;
    t.run([&]() -> net::awaitable<void> {
        co_await t.connect();
        t.server->expires_after(std::chrono::milliseconds(1));
        t.server->expires_never();
        // The client's handshake starts only after the first deadline would have passed.
        net::steady_timer later(t.ioc, std::chrono::milliseconds(50));
        co_await later.async_wait(net::use_awaitable);
        co_await (t.server->async_handshake(ssl::stream_base::server, net::use_awaitable) &&
                  t.client->async_handshake(ssl::stream_base::client, net::use_awaitable));
        BOOST_TEST(t.server->socket().is_open());
    });
}

BOOST_AUTO_TEST_CASE(a_cancelled_read_ends_with_operation_aborted_and_the_stream_goes_on) {
    tls_pair t;
    t.run([&]() -> net::awaitable<void> {
        co_await t.handshake();
        char byte = 0;
        net::steady_timer soon(t.ioc, std::chrono::milliseconds(10));
        soon.async_wait([&](boost::system::error_code) { t.server->cancel(); });
        auto [ec, n] = co_await t.server->async_read_some(net::buffer(&byte, 1), use_tuple);
        BOOST_TEST((ec == net::error::operation_aborted));
        const std::string after = "after";
        co_await net::async_write(*t.client, net::buffer(after), net::use_awaitable);
        std::string got(after.size(), '\0');
        co_await net::async_read(*t.server, net::buffer(got), net::use_awaitable);
        BOOST_TEST(got == after);
    });
}

BOOST_AUTO_TEST_CASE(a_websocket_reads_and_writes_at_once_then_closes_cleanly) {
    tls_pair t;
    t.run([&]() -> net::awaitable<void> {
        co_await t.connect();
        websocket::stream<http::tls_stream&> server(*t.server);
        websocket::stream<beast::ssl_stream<beast::tcp_stream>> client(t.ioc, t.client_tls);
        // The client's TCP connection is the one accepted above: hand it over.
        beast::get_lowest_layer(client).socket() = std::move(t.client->next_layer());
        co_await (
            t.server->async_handshake(ssl::stream_base::server, net::use_awaitable) &&
            client.next_layer().async_handshake(ssl::stream_base::client, net::use_awaitable));
        co_await (server.async_accept(net::use_awaitable) &&
                  client.async_handshake("localhost", "/", net::use_awaitable));

        constexpr int messages = 200;
        auto message = [](char who, int i) {
            return std::string(1, who) + std::to_string(i) +
                   pattern(static_cast<std::size_t>(i * 97), who);
        };
        auto send_all = [&](auto& ws, char who) -> net::awaitable<void> {
            for (int i = 0; i < messages; ++i) {
                const std::string text = message(who, i);
                co_await ws.async_write(net::buffer(text), net::use_awaitable);
            }
        };
        auto read_all = [&](auto& ws, char from) -> net::awaitable<int> {
            int in_order = 0;
            beast::flat_buffer buffer;
            for (int i = 0; i < messages; ++i) {
                co_await ws.async_read(buffer, net::use_awaitable);
                const std::string expected = message(from, i);
                in_order += beast::buffers_to_string(buffer.data()) == expected ? 1 : 0;
                buffer.clear();
            }
            co_return in_order;
        };
        auto [server_read, client_read] =
            co_await (send_all(server, 's') && send_all(client, 'c') && read_all(server, 'c') &&
                      read_all(client, 's'));
        BOOST_TEST(server_read == messages);
        BOOST_TEST(client_read == messages);

        // The server closes: close frames, close_notify both ways, then TCP.
        boost::system::error_code close_ec;
        boost::system::error_code client_end;
        auto server_side = [&]() -> net::awaitable<void> {
            std::tie(close_ec) =
                co_await server.async_close(websocket::close_code::normal, use_tuple);
        };
        auto client_side = [&]() -> net::awaitable<void> {
            beast::flat_buffer buffer;
            std::tie(client_end, std::ignore) = co_await client.async_read(buffer, use_tuple);
        };
        co_await (server_side() && client_side());
        BOOST_TEST(!close_ec);
        BOOST_TEST((client_end == websocket::error::closed));
        BOOST_TEST(!t.server->socket().is_open());
    });
}

BOOST_AUTO_TEST_SUITE_END()
