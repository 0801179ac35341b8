#pragma once
// One connection: TLS handshake (none on the onion listener, plain HTTP on
// loopback), then keep-alive requests (request_loop), on a strand of its own;
// after an upgrade to the live stream, that stream (stream_session) on the
// same strand.
#include "server/http/connection_tracker.hpp"
#include "server/http/request_loop.hpp"
#include "server/http/stream_session.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <cstdint>

namespace signaal::http {

struct session_context {
    /// requests.over picks the transport: https (TLS) or onion_http (plain, no HSTS).
    request_loop_context requests;
    connection_tracker& tracker;
    boost::asio::ssl::context& tls;
    /// The live stream; nullptr: no upgrade is taken (requests.upgrade_path stays empty).
    const stream_context* streams = nullptr;
    /// Counts TLS handshakes that did not complete (the server logs the count); may be null.
    std::atomic<std::uint64_t>* handshake_failures = nullptr;
};

/// Takes over an accepted socket (whose executor is its own strand): admits it
/// against the connection limit or closes it, then serves it on a coroutine.
/// An exception that escapes the coroutine is logged, without request data,
/// and closes only this connection.
void start_session(boost::asio::ip::tcp::socket socket, session_context& context);

} // namespace signaal::http
