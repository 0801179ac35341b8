#pragma once
// tests/notify/smtp_sink.py as a child process: a real SMTP server on
// 127.0.0.1 (aiosmtpd), plain or with STARTTLS required. The test waits on its
// "mail N" lines (no sleeps) and reads what it stored.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace signaal::testing {

struct received_mail {
    std::string raw;  // the message as the client sent it
    std::string meta; // JSON: from, to, tls
};

class smtp_sink {
  public:
    /// `tls`: the certificate and key to offer with STARTTLS (required then).
    explicit smtp_sink(
        std::filesystem::path out_dir,
        std::optional<std::pair<std::filesystem::path, std::filesystem::path>> tls = std::nullopt);
    ~smtp_sink();
    smtp_sink(const smtp_sink&) = delete;
    smtp_sink& operator=(const smtp_sink&) = delete;

    [[nodiscard]] std::uint16_t port() const { return port_; }
    /// Waits until `count` mails in all were stored; false after `timeout`.
    bool wait_for(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(20));
    /// The mails stored so far, in arrival order.
    [[nodiscard]] std::vector<received_mail> mails() const;

  private:
    std::optional<std::string> read_line(std::chrono::milliseconds timeout);

    std::filesystem::path out_;
    pid_t pid_ = -1;
    int to_child_ = -1;
    int from_child_ = -1;
    std::string pending_;
    std::size_t seen_ = 0;
    std::uint16_t port_ = 0;
};

} // namespace signaal::testing
