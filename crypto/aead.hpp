#pragma once
// XChaCha20-Poly1305-IETF: the report and message bodies.
#include "crypto/secret.hpp"

#include <optional>

namespace signaal::crypto {

constexpr std::size_t aead_key_size = 32;
constexpr std::size_t aead_nonce_size = 24;
constexpr std::size_t aead_tag_size = 16;

[[nodiscard]] bytes aead_encrypt(byte_view plaintext, byte_view ad, byte_view nonce,
                                 const secret_bytes& key);
/// nullopt on any failure.
[[nodiscard]] std::optional<secret_bytes> aead_decrypt(byte_view ciphertext, byte_view ad,
                                                       byte_view nonce, const secret_bytes& key);

} // namespace signaal::crypto
