#pragma once
// What people compare out of band before trusting a desk key (PROTOCOL.md §6).
#include "crypto/bytes.hpp"

#include <string>

namespace signaal::crypto {

/// The first 15 bytes of BLAKE2b-256(public_key) as 24 Crockford base32
/// characters in six groups of four: "8HS2-SGKA-Q6DF-2Y9N-56PF-Y2GB".
[[nodiscard]] std::string desk_fingerprint(byte_view public_key);

} // namespace signaal::crypto
