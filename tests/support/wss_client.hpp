#pragma once
// A small blocking WebSocket client over TLS, for the stream tests: it verifies
// the server's certificate against the given PEM file and the name
// "localhost", upgrades on connect, and gives every step a deadline, so a
// stuck server fails a test instead of hanging it.
#include "tests/support/https_client.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace signaal::testing {

class wss_client {
  public:
    static constexpr std::chrono::seconds default_timeout{20};

    struct options {
        std::string target = "/api/v1/stream";
        /// SO_RCVBUF before connecting (0: the system's): a small one lets a
        /// client that does not read hold the server's writes up soon.
        int receive_buffer = 0;
    };

    /// What read() returns: a text message, or the server's close.
    struct message {
        bool closed = false;
        std::uint16_t close_code = 0; // when closed: the code of the close frame, 0 if none
        std::string close_reason;
        std::string text;
    };

    /// Connects, does the TLS handshake and the upgrade (throws when refused).
    wss_client(const std::string& host, std::uint16_t port, const std::filesystem::path& ca_pem,
               const options& opts);
    wss_client(const std::string& host, std::uint16_t port, const std::filesystem::path& ca_pem)
        : wss_client(host, port, ca_pem, options{}) {}
    ~wss_client();
    wss_client(wss_client&&) noexcept;
    wss_client& operator=(wss_client&&) noexcept;

    /// The server's 101 answer (its headers).
    [[nodiscard]] const http_reply& upgrade_reply() const;

    void send(const std::string& text);
    /// The next text message, or the close; throws std::runtime_error after `timeout`.
    message read(std::chrono::milliseconds timeout = default_timeout);
    /// Pings received so far (read() answers them while it waits); safe to
    /// call from another thread while read() runs.
    [[nodiscard]] std::size_t pings() const;
    /// Reads until a ping arrives (true) or `timeout` passes (false). A text
    /// message meanwhile is a failure (throws). The client is spent after it.
    bool wait_for_ping(std::chrono::milliseconds timeout);
    /// Sends a normal close (1000) and waits for the server's answer.
    void close();

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace signaal::testing
