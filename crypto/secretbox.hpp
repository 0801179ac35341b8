#pragma once
// crypto_secretbox (XSalsa20-Poly1305 under one key): the sealed part of a
// locked key file (PROTOCOL.md §10).
#include "crypto/secret.hpp"

#include <optional>

namespace signaal::crypto {

constexpr std::size_t secretbox_key_size = 32;
constexpr std::size_t secretbox_nonce_size = 24;
constexpr std::size_t secretbox_tag_size = 16;

[[nodiscard]] bytes secretbox_seal(byte_view message, byte_view nonce, const secret_bytes& key);

/// nullopt on any failure: wrong key, tampered or truncated box.
[[nodiscard]] std::optional<secret_bytes> secretbox_open(byte_view box, byte_view nonce,
                                                         const secret_bytes& key);

} // namespace signaal::crypto
