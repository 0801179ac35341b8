#pragma once
// GET /metrics in Prometheus text on a plain-HTTP listener (config [metrics]
// listen, loopback only: the config refuses any other address). One request
// per connection, a few seconds each, nothing else served, nothing logged.
#include "server/metrics/server_metrics.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace signaal::http {

/// Accepts until the acceptor is closed; each connection on a strand of its own.
[[nodiscard]] boost::asio::awaitable<void> serve_metrics(boost::asio::ip::tcp::acceptor& acceptor,
                                                         boost::asio::io_context& ioc,
                                                         const metrics::server_metrics& metrics);

} // namespace signaal::http
