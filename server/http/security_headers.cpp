#include "server/http/security_headers.hpp"

#include <array>

namespace signaal::http {
namespace {

constexpr std::array<header_line, 8> lines{{
    {"Strict-Transport-Security", "max-age=63072000"},
    {"Content-Security-Policy",
     "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
     "img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
     "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Content-Type-Options", "nosniff"},
    // No copy of any page or answer is kept on the phone.
    {"Cache-Control", "no-store"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"},
}};

} // namespace

std::span<const header_line> security_headers(transport over) {
    // HSTS is the first line: the onion listener sends all the others.
    static_assert(lines.front().name == "Strict-Transport-Security");
    const std::span<const header_line> all = lines;
    return over == transport::https ? all : all.subspan(1);
}

} // namespace signaal::http
