#pragma once
// Hands one message to the mail system: an SMTP relay (smtp_transport) or the
// host's sendmail (sendmail_transport). Called on the notifier's thread only.
#include "server/common/result.hpp"

#include <span>
#include <string>
#include <string_view>

namespace signaal::notify {

class mail_transport {
  public:
    virtual ~mail_transport() = default;
    /// Blocks until the mail system took the message or refused it. An error's
    /// message never names an address (it goes to the log).
    [[nodiscard]] virtual status send(std::string_view from, std::span<const std::string> to,
                                      std::string_view message) = 0;
};

} // namespace signaal::notify
