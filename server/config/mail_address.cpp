#include "server/config/mail_address.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace signaal::config {
namespace {

bool alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool valid_host(std::string_view host) {
    if (host.empty() || host.size() > 253) {
        return false;
    }
    std::size_t start = 0;
    while (start <= host.size()) {
        const auto dot = std::min(host.find('.', start), host.size());
        const auto label = host.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
            !std::all_of(label.begin(), label.end(), [](char c) { return alnum(c) || c == '-'; })) {
            return false;
        }
        start = dot + 1;
    }
    return true;
}

} // namespace

bool valid_mail_address(std::string_view address) {
    const auto at = address.find('@');
    if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos) {
        return false;
    }
    const auto local = address.substr(0, at);
    if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
        local.find("..") != std::string_view::npos) {
        return false;
    }
    constexpr std::string_view atext_extra = "!#$%&'*+/=?^_`{|}~.-";
    const bool local_ok = std::all_of(local.begin(), local.end(), [&](char c) {
        return alnum(c) || atext_extra.find(c) != std::string_view::npos;
    });
    return local_ok && valid_host(address.substr(at + 1));
}

bool valid_smtp_url(std::string_view url) {
    std::string_view rest;
    if (url.starts_with("smtp://")) {
        rest = url.substr(7);
    } else if (url.starts_with("smtps://")) {
        rest = url.substr(8);
    } else {
        return false;
    }
    if (rest.ends_with('/')) {
        rest.remove_suffix(1);
    }
    std::string_view host = rest;
    if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
        host = rest.substr(0, colon);
        const auto port = rest.substr(colon + 1);
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 ||
            value > 65535) {
            return false;
        }
    }
    return valid_host(host) || (host.size() > 2 && host.front() == '[' && host.back() == ']' &&
                                std::all_of(host.begin() + 1, host.end() - 1, [](char c) {
                                    return alnum(c) || c == ':' || c == '.';
                                }));
}

} // namespace signaal::config
