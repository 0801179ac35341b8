#pragma once
// One HTTPS connection: TLS handshake, then keep-alive requests (request_loop),
// on a strand of its own.
#include "server/http/connection_tracker.hpp"
#include "server/http/request_loop.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

namespace signaal::http {

struct session_context {
    request_loop_context requests;
    connection_tracker& tracker;
    boost::asio::ssl::context& tls;
};

/// Takes over an accepted socket (whose executor is its own strand): admits it
/// against the connection limit or closes it, then serves it on a coroutine.
/// An exception that escapes the coroutine is logged, without request data,
/// and closes only this connection.
void start_session(boost::asio::ip::tcp::socket socket, session_context& context);

} // namespace signaal::http
