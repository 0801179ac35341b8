#include "server/config/listen_address.hpp"

#include <arpa/inet.h>
#include <charconv>

namespace signaal::config {

result<listen_address> parse_listen(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        return fail("must be HOST:PORT, e.g. 127.0.0.1:8443 or [::1]:8443");
    }
    auto host = text.substr(0, colon);
    const auto port = text.substr(colon + 1);
    const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
    if (bracketed) {
        host = host.substr(1, host.size() - 2);
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || (port.size() > 1 && port[0] == '0') || ec != std::errc() ||
        end != port.data() + port.size() || value > 65535) {
        return fail("the port must be a number from 0 to 65535");
    }
    listen_address out{std::string(host), static_cast<std::uint16_t>(value)};
    unsigned char buffer[16];
    const bool v4 = !bracketed && inet_pton(AF_INET, out.host.c_str(), buffer) == 1;
    const bool v6 = bracketed && inet_pton(AF_INET6, out.host.c_str(), buffer) == 1;
    if (!v4 && !v6) {
        return fail("the host must be an IPv4 address or an IPv6 address in brackets");
    }
    return out;
}

bool is_loopback(const listen_address& address) {
    unsigned char v4[4];
    if (inet_pton(AF_INET, address.host.c_str(), v4) == 1) {
        return v4[0] == 127;
    }
    unsigned char v6[16];
    if (inet_pton(AF_INET6, address.host.c_str(), v6) != 1) {
        return false;
    }
    for (int i = 0; i < 15; ++i) {
        if (v6[i] != 0) {
            return false;
        }
    }
    return v6[15] == 1;
}

} // namespace signaal::config
