#pragma once
// "HOST:PORT" as in server.listen and --listen; IPv6 hosts in brackets: "[::1]:8443".
#include <cstdint>
#include <string>
#include <string_view>

namespace signaal::config {

struct listen_address {
    std::string host; // an IP address literal (no names: nothing to resolve at start)
    std::uint16_t port = 0;
    std::string error; // empty on success
    explicit operator bool() const { return error.empty(); }
};

/// Port 0 is allowed (any free port, for tests).
[[nodiscard]] listen_address parse_listen(std::string_view text);

} // namespace signaal::config
