#include "server/http/http_session.hpp"

#include "server/api/errors.hpp"
#include "server/api/router.hpp"
#include "server/http/security_headers.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>
#include <memory>

namespace signaal::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
constexpr auto shutdown_timeout = std::chrono::seconds(2);

using tls_stream = beast::ssl_stream<beast::tcp_stream>;

struct session_state {
    session_state(net::ip::tcp::socket socket, ssl::context& tls)
        : stream(std::move(socket), tls) {}
    tls_stream stream;
    bool busy = false; // between a request's first byte and its answer; only touched on the strand
};

bool quiet(const beast::error_code& ec) {
    return ec == net::error::operation_aborted || ec == net::error::eof ||
           ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
           ec == net::ssl::error::stream_truncated || ec == net::error::connection_reset;
}

bhttp::response<bhttp::string_body> to_http(api::response r, unsigned version, bool keep_alive) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
    res.set(bhttp::field::content_type, r.content_type);
    if (!r.content_encoding.empty())
        res.set(bhttp::field::content_encoding, r.content_encoding);
    if (r.vary_accept_encoding)
        res.set(bhttp::field::vary, "Accept-Encoding");
    for (const auto& line : security_headers())
        res.set(beast::string_view(line.name.data(), line.name.size()),
                beast::string_view(line.value.data(), line.value.size()));
    for (const auto& [name, value] : r.headers)
        res.set(name, value);
    res.keep_alive(keep_alive);
    res.body() = std::move(r.body);
    res.prepare_payload();
    return res;
}

api::request to_api(bhttp::request<bhttp::string_body>&& req) {
    api::request out;
    out.method = std::string(req.method_string());
    const auto target = std::string_view(req.target().data(), req.target().size());
    const auto question = target.find('?');
    out.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos)
        out.query = std::string(target.substr(question + 1));
    out.content_type = std::string(req[bhttp::field::content_type]);
    out.accept_encoding = std::string(req[bhttp::field::accept_encoding]);
    out.authorization = std::string(req[bhttp::field::authorization]);
    out.body = std::move(req.body());
    return out;
}

// An answer for a request we refuse to read further; the connection closes after it.
net::awaitable<void> refuse(tls_stream& stream, unsigned status, std::string_view code,
                            std::string_view message, const config::limits& limits) {
    auto res = to_http(api::error(status, code, message), 11, false);
    beast::get_lowest_layer(stream).expires_after(
        std::chrono::seconds(limits.read_timeout_seconds));
    co_await bhttp::async_write(stream, res, use_tuple);
}

net::awaitable<void> serve(std::shared_ptr<session_state> state, session_context& ctx) {
    auto& stream = state->stream;
    auto& tcp = beast::get_lowest_layer(stream);
    const auto& limits = ctx.limits;

    tcp.expires_after(std::chrono::seconds(limits.handshake_timeout_seconds));
    auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::server, use_tuple);
    beast::flat_buffer buffer;
    bool open = !handshake_ec;
    while (open && !ctx.tracker.draining()) {
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.header_max_bytes));
        parser.body_limit(limits.body_max_bytes);

        state->busy = false;
        tcp.expires_after(std::chrono::seconds(limits.idle_timeout_seconds));
        auto [header_ec, header_bytes] =
            co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
        state->busy = true;
        if (header_ec == bhttp::error::header_limit) {
            co_await refuse(stream, 431, "too_large", "The request headers are too large.", limits);
            break;
        }
        if (header_ec == bhttp::error::body_limit) {
            // A declared body over the limit is refused before a byte of it is read.
            co_await refuse(stream, 413, "too_large", "The request body is too large.", limits);
            break;
        }
        if (header_ec) {
            if (!quiet(header_ec) && header_ec != bhttp::error::partial_message)
                co_await refuse(stream, 400, "bad_request", "The request is not valid HTTP.",
                                limits);
            break;
        }
        tcp.expires_after(std::chrono::seconds(limits.read_timeout_seconds));
        auto [body_ec, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
        if (body_ec == bhttp::error::body_limit) {
            co_await refuse(stream, 413, "too_large", "The request body is too large.", limits);
            break;
        }
        if (body_ec) {
            if (!quiet(body_ec))
                co_await refuse(stream, 400, "bad_request", "The request is not valid HTTP.",
                                limits);
            break;
        }
        auto req = parser.release();
        const auto version = req.version();
        const bool keep_alive = req.keep_alive();
        tcp.expires_never(); // the handler may wait for a durable commit
        auto answer = co_await api::route(ctx.services, to_api(std::move(req)));
        open = keep_alive && !ctx.tracker.draining();
        auto res = to_http(std::move(answer), version, open);
        tcp.expires_after(std::chrono::seconds(limits.read_timeout_seconds));
        auto [write_ec, written] = co_await bhttp::async_write(stream, res, use_tuple);
        if (write_ec)
            open = false;
    }
    if (!handshake_ec) {
        tcp.expires_after(shutdown_timeout);
        co_await stream.async_shutdown(use_tuple);
    }
    tcp.close();
}

} // namespace

void start_session(net::ip::tcp::socket socket, session_context& context) {
    auto executor = socket.get_executor();
    auto state = std::make_shared<session_state>(std::move(socket), context.tls);
    std::weak_ptr<session_state> weak = state;
    // On shutdown: an idle connection closes now; a busy one after its answer.
    const auto ticket = context.tracker.admit([weak, executor] {
        net::post(executor, [weak] {
            if (auto s = weak.lock(); s && !s->busy)
                beast::get_lowest_layer(s->stream).cancel();
        });
    });
    if (ticket == 0) {
        beast::error_code ignored;
        beast::get_lowest_layer(state->stream).socket().close(ignored);
        return;
    }
    net::co_spawn(executor, serve(std::move(state), context),
                  [&tracker = context.tracker, ticket](const std::exception_ptr&) {
                      tracker.release(ticket);
                  });
}

} // namespace signaal::http
