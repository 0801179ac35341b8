#pragma once
// The whole service: threads, TLS listener, writer, and a clean stop on SIGTERM.
#include "server/common/log_sink.hpp"
#include "server/config/settings.hpp"

#include <chrono>
#include <memory>

namespace signaal::auth {
class token_registry;
}

namespace signaal::http {

/// What tests shorten; the defaults are the protocol's.
struct server_tuning {
    /// A stream's first message must arrive within this (PROTOCOL.md §6: 10 s).
    std::chrono::milliseconds stream_auth_timeout = std::chrono::seconds(10);
};

class server {
  public:
    using tuning = server_tuning;

    /// Prepares everything (throws std::runtime_error with a plain message when it cannot).
    /// Logs to `log` (and $SIGNAAL_LOG_FILE) at settings.logging and above, from here on:
    /// `started`, then a `migration_applied` per migration.
    server(config::settings settings, log_sink log, tuning tune = {});
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// Listens, logs `event=listening listen=https://HOST:PORT`, and serves until
    /// SIGTERM or SIGINT; then stops accepting, lets requests in flight finish
    /// (at most limits.drain_timeout_seconds), commits what was queued, logs
    /// `event=stopped` and returns.
    void run();

    /// Does what SIGTERM does, from any thread; before run(), run() stops at once.
    void stop();

    /// The live tokens: in-process tests and the benchmark issue tokens here,
    /// with no sign-in.
    auth::token_registry& tokens();

  private:
    struct parts;
    std::unique_ptr<parts> parts_;
};

} // namespace signaal::http
