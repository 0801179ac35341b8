#pragma once
// Accepts connections and hands each, on a strand of its own, to a session.
#include "server/http/http_session.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace signaal::http {

/// Runs until the acceptor is closed. Each connection gets a strand of its own
/// on `ioc`, never one nested in the acceptor's, so connections run in parallel.
[[nodiscard]] boost::asio::awaitable<void>
accept_connections(boost::asio::ip::tcp::acceptor& acceptor, boost::asio::io_context& ioc,
                   session_context& context);

} // namespace signaal::http
