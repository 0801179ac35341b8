#pragma once
// The server a caseworker names with --server, and the origin its sign-in is
// signed for (PROTOCOL.md §6): scheme://host[:port], host in lower case, the
// default port left out. Derived from the URL exactly, so a signature made for
// one instance cannot be relayed by another.
#include "server/common/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace signaal::inbox {

struct server_url {
    std::string host; // lower case; an IPv6 address without its brackets
    std::uint16_t port = 443;
    std::string origin; // "https://host[:port]"
};

/// Accepts only "https://host[:port]" with an optional final "/": no user,
/// path, query or fragment (the API lives at the root).
[[nodiscard]] result<server_url> parse_server_url(std::string_view text);

} // namespace signaal::inbox
