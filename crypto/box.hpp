#pragma once
// X25519 key pairs and sealed boxes (crypto_box_seal): how report keys reach desks.
#include "crypto/secret.hpp"

#include <optional>

namespace signaal::crypto {

constexpr std::size_t box_public_key_size = 32;
constexpr std::size_t box_secret_key_size = 32;
constexpr std::size_t box_seed_size = 32;
constexpr std::size_t seal_overhead = 48;

struct box_keypair {
    bytes public_key;
    secret_bytes secret_key;
};

[[nodiscard]] box_keypair box_keygen();
[[nodiscard]] box_keypair box_seed_keypair(byte_view seed);

/// crypto_box_seal; recipient_pk must be 32 bytes.
[[nodiscard]] bytes seal(byte_view message, byte_view recipient_pk);
/// nullopt on any failure (wrong key, tampered, truncated): one failure for all.
[[nodiscard]] std::optional<secret_bytes> seal_open(byte_view sealed, byte_view public_key,
                                                    const secret_bytes& secret_key);

} // namespace signaal::crypto
