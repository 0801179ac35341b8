#pragma once
// Crockford base32 in groups of four (PROTOCOL.md §6 fingerprints, §7 receipts).
#include "crypto/bytes.hpp"

#include <string>

namespace signaal::crypto {

/// The alphabet, value order: no I, L, O or U.
inline constexpr std::string_view crockford_alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Upper-case characters, most significant bits first, '-' after every four.
/// The input's bit length must be a multiple of 5 (10 bytes: 16 characters).
[[nodiscard]] std::string crockford_groups(byte_view data);

} // namespace signaal::crypto
