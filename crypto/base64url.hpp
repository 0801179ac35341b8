#pragma once
// base64url without padding (RFC 4648 §5), the only binary encoding on the wire.
#include "crypto/bytes.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace signaal::crypto {

[[nodiscard]] std::string base64url_encode(byte_view data);

/// Strict: rejects padding, '+', '/', whitespace, an impossible length and
/// non-zero trailing bits, so every value has exactly one encoding.
[[nodiscard]] std::optional<bytes> base64url_decode(std::string_view text);

/// As base64url_decode, and the decoded value must be exactly `size` bytes.
[[nodiscard]] std::optional<bytes> base64url_decode_exact(std::string_view text, std::size_t size);

} // namespace signaal::crypto
