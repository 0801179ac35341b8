#include "server/config/origin.hpp"

#include <algorithm>
#include <charconv>

namespace signaal::config {
namespace {

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

bool valid_host(std::string_view host) {
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        const auto inside = host.substr(1, host.size() - 2);
        return std::all_of(inside.begin(), inside.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.';
        });
    }
    return !host.empty() && host.size() <= 253 &&
           std::all_of(host.begin(), host.end(), name_char) && host.front() != '.' &&
           host.back() != '.' && host.find("..") == std::string_view::npos;
}

} // namespace

bool valid_origin(std::string_view text) {
    std::uint16_t default_port = 0;
    if (text.starts_with("https://")) {
        default_port = 443;
        text.remove_prefix(8);
    } else if (text.starts_with("http://")) {
        default_port = 80;
        text.remove_prefix(7);
    } else {
        return false;
    }
    // The port follows the last ':' outside the brackets of an IPv6 host.
    const auto bracket = text.rfind(']');
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || (bracket != std::string_view::npos && colon < bracket)) {
        return valid_host(text);
    }
    const auto port_text = text.substr(colon + 1);
    unsigned port = 0;
    const auto* end = port_text.data() + port_text.size();
    const auto [ptr, ec] = std::from_chars(port_text.data(), end, port);
    if (port_text.empty() || port_text.front() == '0' || ec != std::errc() || ptr != end ||
        port == 0 || port > 65535 || port == default_port) {
        return false;
    }
    return valid_host(text.substr(0, colon));
}

std::string https_origin(std::string_view host, std::uint16_t port) {
    const bool v6 = host.find(':') != std::string_view::npos;
    std::string origin = "https://";
    origin += v6 ? "[" + std::string(host) + "]" : std::string(host);
    if (port != 443) {
        origin += ":" + std::to_string(port);
    }
    return origin;
}

} // namespace signaal::config
