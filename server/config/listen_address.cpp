#include "server/config/listen_address.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <charconv>
#include <iterator>

namespace signaal::config {

bool is_loopback(const listen_address& address) {
    unsigned char buffer[16];
    if (inet_pton(AF_INET, address.host.c_str(), buffer) == 1) {
        return buffer[0] == 127;
    }
    if (inet_pton(AF_INET6, address.host.c_str(), buffer) == 1) {
        static constexpr unsigned char loopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                                        0, 0, 0, 0, 0, 0, 0, 1};
        return std::equal(std::begin(buffer), std::end(buffer), std::begin(loopback6));
    }
    return false;
}

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

} // namespace signaal::config
