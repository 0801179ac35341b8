#pragma once
// The whole service: threads, TLS listener, writer, and a clean stop on SIGTERM.
#include "server/config/settings.hpp"

#include <iosfwd>
#include <memory>

namespace signaal::http {

class server {
  public:
    /// Prepares everything (throws std::runtime_error with a plain message when it cannot).
    explicit server(config::settings settings);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// Listens, prints "signaal-server: listening on https://HOST:PORT" to `out`,
    /// and serves until SIGTERM or SIGINT; then stops accepting, lets requests in
    /// flight finish (at most limits.drain_timeout_seconds), commits what was
    /// queued and returns.
    void run(std::ostream& out);

  private:
    struct parts;
    std::unique_ptr<parts> parts_;
};

} // namespace signaal::http
