#pragma once
// The requests of one connection, over any Beast stream: the TLS stream in the
// server, beast::test::stream in the tests. Each request is read within the
// limits, checked against what HTTP/1.1 itself forbids (RFC 9112), handed to
// the request handler and answered with the security headers.
#include "server/api/errors.hpp"
#include "server/api/request_handler.hpp"
#include "server/common/log_name.hpp"
#include "server/config/settings.hpp"
#include "server/http/connection_tracker.hpp"
#include "server/http/security_headers.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace signaal::http {

/// What every connection shares. `log` is told the event of a failure (logger.hpp):
/// a fixed name, never request data.
struct request_loop_context {
    api::request_handler& handler;
    const config::limits& limits;
    const connection_tracker& tracker;
    std::function<void(log_event)> log;
    /// The path whose WebSocket upgrade is handed back to the caller (the live
    /// stream); empty: every upgrade goes to the handler as a plain request.
    std::string_view upgrade_path = {};
    /// The onion listener's answers carry no HSTS (security_headers).
    transport over = transport::https;
};

/// A WebSocket upgrade request, read whole, for the caller to accept.
using upgrade_request = boost::beast::http::request<boost::beast::http::string_body>;

namespace detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

inline constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

// Deadlines live on the TCP layer; an in-memory test stream has none.
template <class Stream> void expire_after(Stream& stream, std::chrono::seconds timeout) {
    if constexpr (requires { beast::get_lowest_layer(stream).expires_after(timeout); }) {
        beast::get_lowest_layer(stream).expires_after(timeout);
    }
}

template <class Stream> void expire_never(Stream& stream) {
    if constexpr (requires { beast::get_lowest_layer(stream).expires_never(); }) {
        beast::get_lowest_layer(stream).expires_never();
    }
}

inline bool quiet(const beast::error_code& ec) {
    return ec == net::error::operation_aborted || ec == net::error::eof ||
           ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
           ec == net::error::connection_reset || ec == net::ssl::error::stream_truncated;
}

inline bhttp::response<bhttp::string_body> to_http(api::response r, unsigned version,
                                                   bool keep_alive, transport over) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
    res.set(bhttp::field::content_type, r.content_type);
    if (!r.content_encoding.empty()) {
        res.set(bhttp::field::content_encoding, r.content_encoding);
    }
    if (r.vary_accept_encoding) {
        res.set(bhttp::field::vary, "Accept-Encoding");
    }
    for (const auto& line : security_headers(over)) {
        res.set(beast::string_view(line.name.data(), line.name.size()),
                beast::string_view(line.value.data(), line.value.size()));
    }
    for (const auto& [name, value] : r.headers) {
        res.set(name, value);
    }
    res.keep_alive(keep_alive);
    res.body() = std::move(r.body);
    res.prepare_payload();
    return res;
}

inline api::request to_api(bhttp::request<bhttp::string_body>&& req) {
    api::request out;
    out.method = std::string(req.method_string());
    const auto target = std::string_view(req.target().data(), req.target().size());
    const auto question = target.find('?');
    out.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos) {
        out.query = std::string(target.substr(question + 1));
    }
    out.content_type = std::string(req[bhttp::field::content_type]);
    out.accept_encoding = std::string(req[bhttp::field::accept_encoding]);
    out.authorization = std::string(req[bhttp::field::authorization]);
    out.body = std::move(req.body());
    return out;
}

/// What RFC 9112 forbids in a request's header that Beast lets through; empty when fine.
inline std::string_view header_fault(const bhttp::request_parser<bhttp::string_body>& parser) {
    const auto& req = parser.get();
    // §3.2: exactly one Host, or 400.
    if (req.count(bhttp::field::host) != 1) {
        return "The request must carry exactly one Host header.";
    }
    // §6.3: a Transfer-Encoding whose last coding is not chunked leaves the body's
    // length unknown; reading on would take the body for the next request.
    if (req.count(bhttp::field::transfer_encoding) != 0 && !parser.chunked()) {
        return "A Transfer-Encoding must end in chunked.";
    }
    return {};
}

inline bool expects_continue(const bhttp::request<bhttp::string_body>& req) {
    return req.version() >= 11 && beast::iequals(req[bhttp::field::expect], "100-continue");
}

// An answer to a request we will not read further; the connection closes after it.
template <class Stream>
net::awaitable<void> refuse(Stream& stream, unsigned status, std::string_view code,
                            std::string_view message, const request_loop_context& ctx) {
    auto res = to_http(api::error(status, code, message), 11, false, ctx.over);
    expire_after(stream, std::chrono::seconds(ctx.limits.read_timeout_seconds));
    co_await bhttp::async_write(stream, res, use_tuple);
}

} // namespace detail

/// Serves requests on `stream` until the peer closes, a request is refused, the
/// handler throws (answered 500, logged without request data), or the tracker
/// drains. `busy` is true from a request's first byte until its answer is sent.
/// Returns a WebSocket upgrade of ctx.upgrade_path, unanswered, for the caller.
template <class Stream>
boost::asio::awaitable<std::optional<upgrade_request>>
serve_requests(Stream& stream, boost::beast::flat_buffer& buffer, const request_loop_context& ctx,
               bool& busy) {
    using namespace detail;
    const auto& limits = ctx.limits;
    bool open = true;
    while (open && !ctx.tracker.draining()) {
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.header_max_bytes));
        parser.body_limit(limits.body_max_bytes);

        busy = false;
        expire_after(stream, std::chrono::seconds(limits.idle_timeout_seconds));
        auto [header_ec, header_bytes] =
            co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
        busy = true;
        if (header_ec == bhttp::error::header_limit) {
            co_await refuse(stream, 431, "too_large", "The request headers are too large.", ctx);
            break;
        }
        if (header_ec == bhttp::error::body_limit) {
            // A declared body over the limit is refused before a byte of it is read.
            co_await refuse(stream, 413, "too_large", "The request body is too large.", ctx);
            break;
        }
        if (header_ec) {
            if (!quiet(header_ec) && header_ec != bhttp::error::partial_message) {
                co_await refuse(stream, 400, "bad_request", "The request is not valid HTTP.", ctx);
            }
            break;
        }
        if (const auto fault = header_fault(parser); !fault.empty()) {
            co_await refuse(stream, 400, "bad_request", fault, ctx);
            break;
        }
        expire_after(stream, std::chrono::seconds(limits.read_timeout_seconds));
        if (expects_continue(parser.get()) && !parser.is_done()) {
            // The client waits for this before it sends the body (RFC 9110 §10.1.1).
            bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, 11};
            auto [continue_ec, n] = co_await bhttp::async_write(stream, go_on, use_tuple);
            if (continue_ec) {
                break;
            }
        }
        auto [body_ec, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
        if (body_ec == bhttp::error::body_limit) {
            co_await refuse(stream, 413, "too_large", "The request body is too large.", ctx);
            break;
        }
        if (body_ec) {
            if (!quiet(body_ec)) {
                co_await refuse(stream, 400, "bad_request", "The request is not valid HTTP.", ctx);
            }
            break;
        }
        auto req = parser.release();
        if (!ctx.upgrade_path.empty() && beast::websocket::is_upgrade(req) &&
            std::string_view(req.target().data(), req.target().size()) == ctx.upgrade_path) {
            co_return std::optional<upgrade_request>(std::move(req));
        }
        const auto version = req.version();
        const bool keep_alive = req.keep_alive();
        expire_never(stream); // the handler may wait for a durable commit
        std::optional<api::response> answer;
        try {
            answer = co_await ctx.handler.handle(to_api(std::move(req)));
        } catch (const std::exception&) {
            // A bug: what() may quote the request, so only the fact is logged.
        }
        if (!answer) {
            if (ctx.log) {
                ctx.log("request_failed"); // answered 500, its connection closed
            }
            co_await refuse(stream, 500, "internal", "The server failed. Please try again.", ctx);
            break;
        }
        open = keep_alive && !ctx.tracker.draining();
        auto res = to_http(std::move(*answer), version, open, ctx.over);
        expire_after(stream, std::chrono::seconds(limits.read_timeout_seconds));
        auto [write_ec, written] = co_await bhttp::async_write(stream, res, use_tuple);
        if (write_ec) {
            open = false;
        }
    }
    co_return std::nullopt;
}

} // namespace signaal::http
