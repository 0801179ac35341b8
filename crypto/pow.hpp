#pragma once
// Proof of work (PROTOCOL.md §4): the check anyone can do, and the server's
// MAC'd, expiring tokens.
#include "crypto/secret.hpp"

#include <cstdint>
#include <optional>

namespace signaal::crypto {

constexpr std::size_t pow_nonce_size = 8;
constexpr std::size_t pow_key_size = 32;

/// Leading zero bits of a digest, most significant bit of byte 0 first.
[[nodiscard]] unsigned leading_zero_bits(byte_view digest);

/// BLAKE2b-256(token || nonce) starts with at least `difficulty` zero bits.
[[nodiscard]] bool pow_satisfied(byte_view token, byte_view nonce, unsigned difficulty);

/// Brute-force search, for tests, benchmarks and the command-line clients.
[[nodiscard]] bytes pow_solve(byte_view token, unsigned difficulty);

/// Token layout (opaque to clients, 37 bytes):
///   version 0x01 | expiry unix seconds (u64 big-endian) | 12 random bytes | 16-byte MAC
/// MAC = BLAKE2b-128(first 21 bytes, key = the server's pow key).
class pow_tokens {
  public:
    explicit pow_tokens(secret_bytes key);

    [[nodiscard]] bytes mint(std::int64_t expiry_unix) const;

    /// The token's expiry when it is well formed and its MAC is right; nullopt otherwise.
    /// Expiry against the clock is the caller's check (the clock is theirs).
    [[nodiscard]] std::optional<std::int64_t> verify(byte_view token) const;

  private:
    secret_bytes key_;
};

} // namespace signaal::crypto
