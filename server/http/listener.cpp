#include "server/http/listener.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>

namespace signaal::http {
namespace net = boost::asio;

net::awaitable<void> accept_connections(net::ip::tcp::acceptor& acceptor, net::io_context& ioc,
                                        session_context& context) {
    constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
    auto executor = co_await net::this_coro::executor;
    for (;;) {
        net::ip::tcp::socket socket(net::make_strand(ioc));
        auto [ec] = co_await acceptor.async_accept(socket, use_tuple);
        if (ec == net::error::operation_aborted || !acceptor.is_open()) {
            co_return;
        }
        if (ec) {
            // Out of file descriptors and the like: back off instead of spinning.
            net::steady_timer pause(executor, std::chrono::milliseconds(50));
            co_await pause.async_wait(use_tuple);
            continue;
        }
        // Answers are small and whole: send them now, not after a delayed ACK.
        boost::system::error_code ignored;
        socket.set_option(net::ip::tcp::no_delay(true), ignored);
        start_session(std::move(socket), context);
    }
}

} // namespace signaal::http
