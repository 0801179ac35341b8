#pragma once
// The live stream on one connection (TLS, or the onion listener's plain TCP) after its WebSocket
// upgrade (PROTOCOL.md §6, GET /api/v1/stream): the first message within auth_timeout authenticates
// a caseworker; every missed event of their desks is replayed from the events
// table, then `ready`, then live events from the hub, with no gap and no
// duplicate between the two; a ping every ping_interval. Closes 1008 for bad
// auth, an expired token or a disabled person, 1013 when the client cannot keep
// up, 1001 when the server shuts down.
#include "server/common/log_name.hpp"
#include "server/http/connection_tracker.hpp"
#include "server/http/request_loop.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string_view>

namespace signaal::auth {
class token_registry;
}
namespace signaal::store {
class read_pool;
}
namespace signaal::stream {
class event_hub;
}

namespace signaal::http {

struct stream_context {
    auth::token_registry& tokens;
    store::read_pool& reads;
    stream::event_hub& hub;
    const connection_tracker& tracker;
    std::chrono::seconds ping_interval{30};
    std::size_t send_queue_max = 256;
    /// The first message must arrive within this (PROTOCOL.md: 10 s); tests shorten it.
    std::chrono::milliseconds auth_timeout = std::chrono::seconds(10);
    /// The WebSocket handshakes (upgrade, close); a client that takes no close
    /// frame is cut off after this.
    std::chrono::seconds handshake_timeout{10};
    /// One plain sentence at a time; never who, never what.
    std::function<void(log_event)> log; // a fixed event name (logger.hpp)
};

using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
/// A connection to the onion listener: plain HTTP on loopback.
using plain_stream = boost::beast::tcp_stream;

/// Serves the stream until it closes. `on_drain` is set, for the connection's
/// drain hook, to what closes the stream when the server shuts down (called on
/// the connection's strand), and cleared before this returns.
boost::asio::awaitable<void> serve_stream(tls_stream& stream, upgrade_request request,
                                          const stream_context& ctx,
                                          std::function<void()>& on_drain);
boost::asio::awaitable<void> serve_stream(plain_stream& stream, upgrade_request request,
                                          const stream_context& ctx,
                                          std::function<void()>& on_drain);

} // namespace signaal::http
