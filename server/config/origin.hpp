#pragma once
// Origins as a signed sign-in names them (PROTOCOL.md §6): scheme://host[:port],
// scheme https or http, host in lower case (a name, an IPv4 address or an IPv6
// address in brackets), the port left out when it is the scheme's default,
// nothing after it (no path, no trailing slash).
#include <cstdint>
#include <string>
#include <string_view>

namespace signaal::config {

/// Is `text` an origin exactly as it is signed (so "HTTPS://X", "https://x:443"
/// and "https://x/" are not: a signature names the one canonical form).
[[nodiscard]] bool valid_origin(std::string_view text);

/// "https://127.0.0.1:8443", "https://[::1]:8443": the origin of a host
/// (an IP literal or a name, lower case) and port under https.
[[nodiscard]] std::string https_origin(std::string_view host, std::uint16_t port);

} // namespace signaal::config
