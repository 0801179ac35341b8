#pragma once
// Accepts connections and hands each, on a strand of its own, to a session.
#include "server/http/http_session.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace signaal::http {

/// Runs until the acceptor is closed.
[[nodiscard]] boost::asio::awaitable<void>
accept_connections(boost::asio::ip::tcp::acceptor& acceptor, session_context& context);

} // namespace signaal::http
