#pragma once
// Public halves recomputed from secret keys: how a key file or an unwrapped
// desk key is checked (PROTOCOL.md §6, §10). Deterministic: no probe message.
#include "crypto/secret.hpp"

#include <optional>

namespace signaal::crypto {

/// crypto_scalarmult_base of a 32-byte X25519 secret key; nullopt for a wrong size.
[[nodiscard]] std::optional<bytes> box_public_key_of(const secret_bytes& secret_key);

/// The Ed25519 public key of libsodium's 64-byte secret key, recomputed from its
/// seed (first 32 bytes); nullopt when the stored half (crypto_sign_ed25519_sk_to_pk)
/// disagrees with the seed, or for a wrong size.
[[nodiscard]] std::optional<bytes> sign_public_key_of(const secret_bytes& secret_key);

/// Does the secret key belong to the public key?
[[nodiscard]] bool box_pair_matches(byte_view public_key, const secret_bytes& secret_key);
[[nodiscard]] bool sign_pair_matches(byte_view public_key, const secret_bytes& secret_key);

} // namespace signaal::crypto
