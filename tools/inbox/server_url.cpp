#include "tools/inbox/server_url.hpp"

#include <charconv>

namespace signaal::inbox {
namespace {

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

bool ipv6_char(char c) {
    return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9') || c == ':' || c == '.';
}

} // namespace

result<server_url> parse_server_url(std::string_view text) {
    const std::string shown = "--server " + std::string(text);
    constexpr std::string_view scheme = "https://";
    if (text.size() < scheme.size() || text.substr(0, scheme.size()) != scheme) {
        return signaal::fail(shown +
                             ": must start with https:// (the API is served over TLS only)");
    }
    std::string_view rest = text.substr(scheme.size());
    if (!rest.empty() && rest.back() == '/') {
        rest.remove_suffix(1);
    }
    if (rest.find_first_of("/?#@") != std::string_view::npos) {
        return signaal::fail(shown +
                             ": give only https://host[:port], without user, path or query");
    }
    server_url url;
    std::string_view port_text;
    bool ipv6 = false;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) {
            return signaal::fail(shown + ": an IPv6 address needs its closing ]");
        }
        url.host = std::string(rest.substr(1, close - 1));
        ipv6 = true;
        const auto after = rest.substr(close + 1);
        if (!after.empty() && after.front() != ':') {
            return signaal::fail(shown + ": unexpected text after the IPv6 address");
        }
        port_text = after.empty() ? after : after.substr(1);
        if (!after.empty() && port_text.empty()) {
            return signaal::fail(shown + ": the port after ':' is missing");
        }
    } else {
        const auto colon = rest.find(':');
        url.host = std::string(rest.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_text = rest.substr(colon + 1);
            if (port_text.empty()) {
                return signaal::fail(shown + ": the port after ':' is missing");
            }
        }
    }
    for (auto& c : url.host) {
        c = lower(c);
    }
    bool host_ok = !url.host.empty() && url.host.size() <= 253;
    for (const char c : url.host) {
        host_ok = host_ok && (ipv6 ? ipv6_char(c) : name_char(c));
    }
    if (!host_ok) {
        return signaal::fail(
            shown + ": the host must be a name, an IPv4 address or a bracketed IPv6 address");
    }
    if (!port_text.empty()) {
        unsigned value = 0;
        const auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
        if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 ||
            value > 65535) {
            return signaal::fail(shown + ": the port must be a number from 1 to 65535");
        }
        url.port = static_cast<std::uint16_t>(value);
    }
    url.origin = "https://" + (ipv6 ? "[" + url.host + "]" : url.host);
    if (url.port != 443) {
        url.origin += ":" + std::to_string(url.port);
    }
    return url;
}

} // namespace signaal::inbox
