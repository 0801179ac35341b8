#pragma once
// One HTTPS connection: TLS handshake, then keep-alive requests, each read
// within limits, answered by the router, with the security headers.
#include "server/api/services.hpp"
#include "server/http/connection_tracker.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

namespace signaal::http {

struct session_context {
    api::services& services;
    const config::limits& limits;
    connection_tracker& tracker;
    boost::asio::ssl::context& tls;
};

/// Takes over an accepted socket (whose executor is its own strand): admits it
/// against the connection limit or closes it, then serves it on a coroutine.
void start_session(boost::asio::ip::tcp::socket socket, session_context& context);

} // namespace signaal::http
