#pragma once
// The headers of PROTOCOL.md §9, on every response.
#include <span>
#include <string_view>

namespace signaal::http {

struct header_line {
    std::string_view name;
    std::string_view value;
};

/// The same for every answer: HSTS, CSP (no inline or eval script; wasm allowed
/// for libsodium.js), no referrer, nosniff, no-store, no framing.
[[nodiscard]] std::span<const header_line> security_headers();

} // namespace signaal::http
