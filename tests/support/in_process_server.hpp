#pragma once
// The real server (http::server) in this process, over a test_instance's
// directory (its config, database and desk keys): TLS on 127.0.0.1, the real
// writer, read pool and stream. Tests reach its token registry and writer
// directly, so they need no sign-in to get a token.
#include "server/http/server.hpp"
#include "tests/support/https_client.hpp"
#include "tests/support/test_instance.hpp"
#include "tests/support/wss_client.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace signaal::testing {

class in_process_server {
  public:
    /// Loads instance.dir()/signaal.toml, builds the server and runs it on a
    /// thread of its own; returns once it listens.
    explicit in_process_server(const test_instance& instance, http::server::tuning tuning = {});
    ~in_process_server(); // stop()
    in_process_server(const in_process_server&) = delete;
    in_process_server& operator=(const in_process_server&) = delete;

    http::server& server() { return *server_; }
    [[nodiscard]] std::uint16_t port() const { return port_; }
    [[nodiscard]] https_client client() const;
    [[nodiscard]] wss_client stream(const wss_client::options& opts = {}) const;

    /// Everything the server printed so far.
    [[nodiscard]] std::string output() const;
    /// Waits until the server printed `text` (false after `timeout`).
    bool wait_for_output(const std::string& text,
                         std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;

    /// What SIGTERM does; returns once run() returned. Idempotent.
    void stop();

  private:
    class capture;

    std::filesystem::path certificate_;
    std::unique_ptr<capture> capture_;
    std::unique_ptr<std::ostream> out_;
    std::unique_ptr<http::server> server_;
    std::thread thread_;
    std::uint16_t port_ = 0;
};

} // namespace signaal::testing
