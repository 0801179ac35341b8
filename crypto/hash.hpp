#pragma once
#include "crypto/bytes.hpp"

#include <array>

namespace signaal::crypto {

using digest256 = std::array<std::uint8_t, 32>;

/// BLAKE2b-256(m), libsodium crypto_generichash without key.
[[nodiscard]] digest256 blake2b256(byte_view message);
/// BLAKE2b-256(m, key=k); key 16..64 bytes.
[[nodiscard]] digest256 blake2b256_keyed(byte_view message, byte_view key);

} // namespace signaal::crypto
