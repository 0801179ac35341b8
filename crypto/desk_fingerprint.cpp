#include "crypto/desk_fingerprint.hpp"

#include "crypto/crockford.hpp"
#include "crypto/hash.hpp"

namespace signaal::crypto {

std::string desk_fingerprint(byte_view public_key) {
    constexpr std::size_t fingerprint_bytes = 15; // 120 bits, 24 characters
    const digest256 digest = blake2b256(public_key);
    return crockford_groups(byte_view(digest).first(fingerprint_bytes));
}

} // namespace signaal::crypto
