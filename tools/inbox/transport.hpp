#pragma once
// The only place signaal-inbox speaks Beast: one HTTPS keep-alive connection
// for API calls and one WebSocket for the stream, both over TLS 1.2+ with the
// server's certificate verified (against --ca, else the system's trust store)
// for the host named in --server. Calls block; each step has a deadline, and
// SIGINT/SIGTERM (once watched) ends whatever is waiting, so a command stops
// cleanly instead of being killed mid-write.
#include "server/common/result.hpp"
#include "tools/inbox/server_url.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace signaal::inbox {

struct http_answer {
    unsigned status = 0;
    std::string content_type;
    std::string body;
};

/// One WebSocket read: a text message, or the server's close.
struct stream_message {
    bool closed = false;
    std::uint16_t close_code = 0; // when closed: 1008 bad auth, 1013 too slow, ...
    std::string text;
};

class transport {
  public:
    /// Loads the trust anchors; connects on first use.
    [[nodiscard]] static result<std::unique_ptr<transport>>
    make(const server_url& server, const std::optional<std::filesystem::path>& ca_file);
    ~transport();
    transport(const transport&) = delete;
    transport& operator=(const transport&) = delete;

    /// One request and its answer. A GET whose kept-alive connection turns out
    /// closed is sent again once on a new one; nothing else is ever sent twice.
    [[nodiscard]] result<http_answer> request(std::string_view method, const std::string& target,
                                              const std::string& body = {},
                                              const std::string& bearer = {});

    /// Opens the WebSocket at `target` (closing an earlier one).
    [[nodiscard]] status stream_open(const std::string& target);
    [[nodiscard]] status stream_write(const std::string& text);
    /// Waits for the next message (the server pings every 30 s; 75 s of silence
    /// count as a lost connection).
    [[nodiscard]] result<stream_message> stream_read();
    void stream_close();

    /// From now on SIGINT and SIGTERM end any wait (calls fail, interrupted() is true).
    void watch_interrupts();
    [[nodiscard]] bool interrupted() const;
    /// Stops watching (a second SIGINT ends the process as usual) and lets calls
    /// run again: for signing out after an interrupt.
    void stop_watching_interrupts();
    /// Waits `how_long`; false when interrupted first.
    bool pause(std::chrono::milliseconds how_long);

  private:
    struct impl;
    explicit transport(std::unique_ptr<impl> i);
    std::unique_ptr<impl> impl_;
};

} // namespace signaal::inbox
