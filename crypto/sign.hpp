#pragma once
// Ed25519 sign-in signatures.
#include "crypto/secret.hpp"

namespace signaal::crypto {

constexpr std::size_t sign_public_key_size = 32;
constexpr std::size_t sign_secret_key_size = 64;
constexpr std::size_t signature_size = 64;

struct sign_keypair {
    bytes public_key;
    secret_bytes secret_key; // libsodium's 64-byte form
};

[[nodiscard]] sign_keypair sign_keygen();
[[nodiscard]] sign_keypair sign_seed_keypair(byte_view seed);
[[nodiscard]] bytes sign_detached(byte_view message, const secret_bytes& secret_key);
[[nodiscard]] bool verify_detached(byte_view signature, byte_view message, byte_view public_key);

} // namespace signaal::crypto
