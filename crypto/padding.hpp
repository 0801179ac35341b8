#pragma once
// ISO/IEC 7816-4 padding into size buckets (PROTOCOL.md §5 step 5).
#include "crypto/bytes.hpp"

#include <optional>

namespace signaal::crypto {

/// Smallest bucket L with L >= plaintext_len + 1; nullopt when none fits.
/// `buckets` need not be sorted.
[[nodiscard]] std::optional<std::size_t> bucket_for(std::size_t plaintext_len,
                                                    std::span<const std::size_t> buckets);

/// P || 0x80 || 0x00...; nullopt when no bucket fits.
[[nodiscard]] std::optional<bytes> pad(byte_view plaintext, std::span<const std::size_t> buckets);

/// Strips the padding; nullopt when it is malformed.
[[nodiscard]] std::optional<bytes> unpad(byte_view padded);

} // namespace signaal::crypto
