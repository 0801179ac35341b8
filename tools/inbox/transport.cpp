#include "tools/inbox/transport.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <csignal>
#include <openssl/ssl.h>

namespace signaal::inbox {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
constexpr std::chrono::seconds step_timeout{30};
// The server ends idle keep-alive connections after 30 s; past this, a request
// that must not be sent twice gets a fresh connection instead of a stale one.
constexpr std::chrono::seconds reuse_for_any_method{10};
constexpr std::chrono::seconds stream_idle_timeout{75}; // the server pings every 30 s
constexpr std::uint64_t max_body = 32 * 1024 * 1024;
constexpr std::size_t max_stream_message = 64 * 1024;

using tls_stream = beast::ssl_stream<beast::tcp_stream>;
using ws_stream = websocket::stream<tls_stream>;

std::string tls_failure(const boost::system::error_code& ec) {
    if (ec.category() == net::error::get_ssl_category() &&
        ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
        return "the server's certificate is not trusted for this host (check --server and --ca)";
    }
    return ec.message();
}

bool is_address(const std::string& host) {
    boost::system::error_code ec;
    (void)net::ip::make_address(host, ec);
    return !ec;
}

} // namespace

struct transport::impl {
    explicit impl(server_url s) : server(std::move(s)), tls(ssl::context::tls_client) {}

    server_url server;
    net::io_context ioc;
    ssl::context tls;
    std::unique_ptr<tls_stream> http_conn;
    beast::flat_buffer http_buffer;
    std::chrono::steady_clock::time_point http_last_used;
    std::unique_ptr<ws_stream> ws;
    beast::flat_buffer ws_buffer;
    std::optional<net::signal_set> signals;
    net::steady_timer pause_timer{ioc};
    bool interrupted = false;

    std::string host_header() const {
        const bool v6 = server.host.find(':') != std::string::npos;
        return (v6 ? "[" + server.host + "]" : server.host) + ":" + std::to_string(server.port);
    }

    template <class T>
    static net::awaitable<void> deliver(net::awaitable<result<T>> op,
                                        std::optional<result<T>>* out) {
        out->emplace(co_await std::move(op));
    }

    /// Runs one operation to its end on this thread.
    template <class T> result<T> run(net::awaitable<result<T>> op) {
        if (interrupted) {
            return signaal::fail("interrupted");
        }
        std::optional<result<T>> out;
        net::co_spawn(ioc, deliver(std::move(op), &out), net::detached);
        while (!out) {
            if (ioc.stopped()) {
                ioc.restart();
            }
            ioc.run_one();
        }
        return std::move(*out);
    }

    net::awaitable<status> connect(tls_stream& stream) {
        tcp::resolver resolver(ioc);
        auto [resolve_ec, endpoints] =
            co_await resolver.async_resolve(server.host, std::to_string(server.port), use_tuple);
        if (resolve_ec) {
            co_return signaal::fail("cannot find " + server.host + ": " + resolve_ec.message());
        }
        auto& socket = beast::get_lowest_layer(stream);
        socket.expires_after(step_timeout);
        auto [connect_ec, endpoint] = co_await socket.async_connect(endpoints, use_tuple);
        if (connect_ec) {
            co_return signaal::fail("cannot connect to " + server.origin + ": " +
                                    connect_ec.message());
        }
        socket.socket().set_option(tcp::no_delay(true));
        if (!is_address(server.host)) {
            SSL_set_tlsext_host_name(stream.native_handle(), server.host.c_str());
        }
        stream.set_verify_callback(ssl::host_name_verification(server.host));
        auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::client, use_tuple);
        if (handshake_ec) {
            co_return signaal::fail("no secure connection to " + server.origin + ": " +
                                    tls_failure(handshake_ec));
        }
        co_return status{};
    }

    net::awaitable<result<http_answer>> exchange(http::request<http::string_body> req,
                                                 bool may_resend) {
        for (int attempt = 0;; ++attempt) {
            const auto now = std::chrono::steady_clock::now();
            bool fresh = false;
            if (!http_conn || (!may_resend && now - http_last_used > reuse_for_any_method)) {
                http_conn = std::make_unique<tls_stream>(ioc, tls);
                http_buffer.clear();
                if (auto connected = co_await connect(*http_conn); !connected) {
                    http_conn.reset();
                    co_return connected.error();
                }
                fresh = true;
            }
            beast::get_lowest_layer(*http_conn).expires_after(step_timeout);
            auto [write_ec, written] = co_await http::async_write(*http_conn, req, use_tuple);
            http::response_parser<http::string_body> parser;
            parser.body_limit(max_body);
            boost::system::error_code ec = write_ec;
            if (!ec) {
                auto [read_ec, read] =
                    co_await http::async_read(*http_conn, http_buffer, parser, use_tuple);
                ec = read_ec;
            }
            if (ec) {
                http_conn.reset();
                if (!fresh && may_resend && attempt == 0 && !interrupted) {
                    continue; // the server had closed the kept-alive connection
                }
                co_return signaal::fail(interrupted ? "interrupted"
                                                    : "the connection to " + server.origin +
                                                          " failed: " + ec.message());
            }
            auto res = parser.release();
            http_answer answer;
            answer.status = res.result_int();
            answer.content_type = std::string(res[http::field::content_type]);
            answer.body = std::move(res.body());
            if (!res.keep_alive()) {
                http_conn.reset();
            }
            http_last_used = std::chrono::steady_clock::now();
            co_return answer;
        }
    }

    net::awaitable<status> open_stream(std::string target) {
        ws = std::make_unique<ws_stream>(ioc, tls);
        ws_buffer.clear();
        if (auto connected = co_await connect(ws->next_layer()); !connected) {
            ws.reset();
            co_return connected.error();
        }
        beast::get_lowest_layer(*ws).expires_never(); // the WebSocket keeps its own time
        ws->set_option(websocket::stream_base::timeout{step_timeout, stream_idle_timeout, false});
        ws->read_message_max(max_stream_message);
        const std::string origin = server.origin;
        ws->set_option(websocket::stream_base::decorator([origin](websocket::request_type& r) {
            r.set(http::field::user_agent, "signaal-inbox");
            r.set(http::field::origin, origin);
        }));
        auto [ec] = co_await ws->async_handshake(host_header(), target, use_tuple);
        if (ec) {
            ws.reset();
            co_return signaal::fail("the stream at " + server.origin +
                                    " did not open: " + ec.message());
        }
        co_return status{};
    }

    net::awaitable<status> write_stream(std::string text) {
        if (!ws) {
            co_return signaal::fail("the stream is not open");
        }
        ws->text(true);
        auto [ec, n] = co_await ws->async_write(net::buffer(text), use_tuple);
        if (ec) {
            co_return signaal::fail("the stream was lost: " + ec.message());
        }
        co_return status{};
    }

    net::awaitable<result<stream_message>> read_stream() {
        if (!ws) {
            co_return signaal::fail("the stream is not open");
        }
        auto [ec, n] = co_await ws->async_read(ws_buffer, use_tuple);
        stream_message message;
        if (ec == websocket::error::closed) {
            message.closed = true;
            message.close_code = static_cast<std::uint16_t>(ws->reason().code);
            ws.reset();
            co_return message;
        }
        if (ec) {
            ws.reset();
            co_return signaal::fail(interrupted ? "interrupted"
                                                : "the stream was lost: " + ec.message());
        }
        message.text = beast::buffers_to_string(ws_buffer.data());
        ws_buffer.consume(ws_buffer.size());
        co_return message;
    }

    net::awaitable<status> close_stream() {
        if (ws && ws->is_open()) {
            auto [ec] = co_await ws->async_close(websocket::close_code::normal, use_tuple);
            (void)ec; // best effort: the command is ending
        }
        ws.reset();
        co_return status{};
    }

    net::awaitable<status> wait(std::chrono::milliseconds how_long) {
        pause_timer.expires_after(how_long);
        auto [ec] = co_await pause_timer.async_wait(use_tuple);
        co_return ec ? status(signaal::fail("interrupted")) : status{};
    }

    net::awaitable<void> watch() {
        auto [ec, number] = co_await signals->async_wait(use_tuple);
        if (ec) {
            co_return;
        }
        interrupted = true;
        pause_timer.cancel();
        boost::system::error_code ignored;
        if (http_conn) {
            beast::get_lowest_layer(*http_conn).socket().close(ignored);
        }
        if (ws) {
            beast::get_lowest_layer(*ws).socket().close(ignored);
        }
    }
};

transport::transport(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
transport::~transport() = default;

result<std::unique_ptr<transport>> transport::make(const server_url& server,
                                                   const std::optional<std::filesystem::path>& ca) {
    auto i = std::make_unique<impl>(server);
    boost::system::error_code ec;
    i->tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    SSL_CTX_set_min_proto_version(i->tls.native_handle(), TLS1_2_VERSION);
    i->tls.set_verify_mode(ssl::verify_peer, ec);
    if (ca) {
        i->tls.load_verify_file(ca->string(), ec);
        if (ec) {
            return signaal::fail("--ca " + ca->string() +
                                 ": cannot load a PEM certificate from it");
        }
    } else {
        i->tls.set_default_verify_paths(ec);
        if (ec) {
            return signaal::fail(
                "cannot load the system's trusted certificates; name one with --ca");
        }
    }
    return std::unique_ptr<transport>(new transport(std::move(i)));
}

result<http_answer> transport::request(std::string_view method, const std::string& target,
                                       const std::string& body, const std::string& bearer) {
    http::request<http::string_body> req;
    req.method(http::string_to_verb(method));
    req.target(target);
    req.version(11);
    req.set(http::field::host, impl_->host_header());
    req.set(http::field::user_agent, "signaal-inbox");
    req.set(http::field::accept, "application/json");
    if (!bearer.empty()) {
        req.set(http::field::authorization, "Bearer " + bearer);
    }
    if (!body.empty()) {
        req.set(http::field::content_type, "application/json");
        req.body() = body;
    }
    req.keep_alive(true);
    req.prepare_payload();
    const bool may_resend = req.method() == http::verb::get;
    return impl_->run(impl_->exchange(std::move(req), may_resend));
}

status transport::stream_open(const std::string& target) {
    return impl_->run(impl_->open_stream(target));
}

status transport::stream_write(const std::string& text) {
    return impl_->run(impl_->write_stream(text));
}

result<stream_message> transport::stream_read() {
    return impl_->run(impl_->read_stream());
}

void transport::stream_close() {
    if (!impl_->interrupted) {
        (void)impl_->run(impl_->close_stream());
    }
    impl_->ws.reset();
}

void transport::watch_interrupts() {
    if (impl_->signals) {
        return;
    }
    impl_->signals.emplace(impl_->ioc, SIGINT, SIGTERM);
    net::co_spawn(impl_->ioc, impl_->watch(), net::detached);
}

void transport::stop_watching_interrupts() {
    if (impl_->signals) {
        boost::system::error_code ignored;
        impl_->signals->clear(ignored);
        impl_->signals->cancel(ignored);
    }
    impl_->interrupted = false;
}

bool transport::interrupted() const {
    return impl_->interrupted;
}

bool transport::pause(std::chrono::milliseconds how_long) {
    return static_cast<bool>(impl_->run(impl_->wait(how_long)));
}

} // namespace signaal::inbox
