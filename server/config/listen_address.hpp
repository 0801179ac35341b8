#pragma once
// "HOST:PORT" as in server.listen and --listen; IPv6 hosts in brackets: "[::1]:8443".
#include "server/common/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace signaal::config {

struct listen_address {
    std::string host; // an IP address literal (no names: nothing to resolve at start)
    std::uint16_t port = 0;
};

/// Port 0 is allowed (any free port, for tests).
[[nodiscard]] result<listen_address> parse_listen(std::string_view text);

/// True for 127.0.0.0/8 and [::1] only; 0.0.0.0 and [::] listen on every address.
[[nodiscard]] bool is_loopback(const listen_address& address);

} // namespace signaal::config
