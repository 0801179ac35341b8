#pragma once
// The headers of PROTOCOL.md §9, on every response.
#include <span>
#include <string_view>

namespace signaal::http {

struct header_line {
    std::string_view name;
    std::string_view value;
};

/// How a connection reached the server.
enum class transport {
    https,
    /// Plain HTTP on loopback, from a Tor onion service in front: the onion
    /// address has no certificate, so HSTS there would make browsers refuse it.
    onion_http,
};

/// The same for every answer: HSTS (over https only), CSP (no inline or eval
/// script; wasm allowed for libsodium.js), no referrer, nosniff, no-store, no framing.
[[nodiscard]] std::span<const header_line> security_headers(transport over = transport::https);

} // namespace signaal::http
