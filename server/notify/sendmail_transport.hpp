#pragma once
// The host's sendmail program (exim, postfix, msmtp, ... all provide one):
// `sendmail -i -f FROM -- TO...`, the message on its standard input with
// plain LF line ends. Started without a shell, so no address is ever parsed
// as a command.
#include "server/notify/mail_transport.hpp"

#include <filesystem>

namespace signaal::notify {

class sendmail_transport final : public mail_transport {
  public:
    explicit sendmail_transport(std::filesystem::path program) : program_(std::move(program)) {}
    [[nodiscard]] status send(std::string_view from, std::span<const std::string> to,
                              std::string_view message) override;

  private:
    std::filesystem::path program_;
};

} // namespace signaal::notify
