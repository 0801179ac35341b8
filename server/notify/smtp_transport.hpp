#pragma once
// An SMTP relay through libcurl (Debian's libcurl4-openssl-dev): smtp:// with
// STARTTLS required by default, or smtps://. The relay's certificate is
// checked against ca_file (or the system's CAs) and its host name.
#include "server/notify/mail_transport.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace signaal::notify {

struct smtp_options {
    std::string url; // smtp://HOST:PORT or smtps://HOST:PORT (checked by the config)
    bool require_starttls = true;
    std::optional<std::filesystem::path> ca_file;
    std::chrono::seconds timeout{30};
};

class smtp_transport final : public mail_transport {
  public:
    explicit smtp_transport(smtp_options options);
    [[nodiscard]] status send(std::string_view from, std::span<const std::string> to,
                              std::string_view message) override;

  private:
    smtp_options options_;
};

} // namespace signaal::notify
