#pragma once
#include "crypto/bytes.hpp"

#include <array>

namespace signaal::crypto {

constexpr std::size_t key_id_size = 8;
using key_id = std::array<std::uint8_t, key_id_size>;

/// First 8 bytes of BLAKE2b-256(public_key) (PROTOCOL.md §3).
[[nodiscard]] key_id key_id_of(byte_view public_key);

} // namespace signaal::crypto
