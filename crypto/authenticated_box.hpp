#pragma once
// crypto_box_easy: X25519 + XSalsa20-Poly1305 between two known key pairs. A
// desk's reply envelope to the reporter (PROTOCOL.md §7) uses it, so the page
// knows the reply key came from that desk's key, not from whoever can write
// the database.
#include "crypto/secret.hpp"

#include <optional>

namespace signaal::crypto {

constexpr std::size_t box_nonce_size = 24;
constexpr std::size_t box_tag_size = 16;

/// crypto_box_easy(message, nonce, recipient_pk, sender_sk).
[[nodiscard]] bytes box_encrypt(byte_view message, byte_view nonce, byte_view recipient_pk,
                                const secret_bytes& sender_sk);

/// crypto_box_open_easy; nullopt on any failure (tampered, truncated, wrong key).
[[nodiscard]] std::optional<secret_bytes>
box_decrypt(byte_view box, byte_view nonce, byte_view sender_pk, const secret_bytes& recipient_sk);

} // namespace signaal::crypto
