#include "server/http/metrics_listener.hpp"

#include "server/metrics/route_template.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <chrono>

namespace signaal::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
constexpr auto exchange_timeout = std::chrono::seconds(5);
constexpr std::uint32_t header_max = 4096;

net::awaitable<void> answer(beast::tcp_stream stream, const metrics::server_metrics& metrics) {
    stream.expires_after(exchange_timeout);
    beast::flat_buffer buffer;
    bhttp::request_parser<bhttp::empty_body> parser;
    parser.header_limit(header_max);
    auto [read_ec, n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
    if (read_ec) {
        co_return;
    }
    const auto& req = parser.get();
    bhttp::response<bhttp::string_body> res{bhttp::status::ok, req.version()};
    const std::string_view target(req.target().data(), req.target().size());
    if (target != "/metrics") {
        res.result(bhttp::status::not_found);
    } else if (req.method() != bhttp::verb::get) {
        res.result(bhttp::status::method_not_allowed);
        res.set(bhttp::field::allow, "GET");
    } else {
        res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        res.body() = metrics.render();
    }
    res.set(bhttp::field::cache_control, "no-store");
    res.keep_alive(false);
    res.prepare_payload();
    co_await bhttp::async_write(stream, res, use_tuple);
    beast::error_code ignored;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
}

} // namespace

net::awaitable<void> serve_metrics(net::ip::tcp::acceptor& acceptor, net::io_context& ioc,
                                   const metrics::server_metrics& metrics) {
    auto executor = co_await net::this_coro::executor;
    for (;;) {
        net::ip::tcp::socket socket(net::make_strand(ioc));
        auto [ec] = co_await acceptor.async_accept(socket, use_tuple);
        if (ec == net::error::operation_aborted || !acceptor.is_open()) {
            co_return;
        }
        if (ec) {
            net::steady_timer pause(executor, std::chrono::milliseconds(50));
            co_await pause.async_wait(use_tuple);
            continue;
        }
        auto strand = socket.get_executor();
        net::co_spawn(strand, answer(beast::tcp_stream(std::move(socket)), metrics), net::detached);
    }
}

} // namespace signaal::http
