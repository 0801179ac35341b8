#pragma once
// A sealed message of the anonymous follow-up (PROTOCOL.md §7): the padded
// plaintext under a fresh message key K with the message AD, K's envelopes
// (sealed to a desk, boxed from a desk to the reporter, or sealed to the
// reporter herself), and the reporter's signature. The plaintext is the
// caller's UTF-8 JSON {"v":1,"lang","text","n"}; this file knows only bytes.
#include "crypto/secret.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace signaal::crypto {

/// Who wrote a message and who may open it: the AD of §7 is built from these.
struct message_address {
    std::string report_id_b64;
    std::string sender;                  // "reporter" or "desk:<id>"
    std::vector<std::string> recipients; // any order; the AD sorts them
};

struct sealed_body {
    bytes nonce;      // 24 bytes
    bytes ciphertext; // bucket + 16 bytes
    secret_bytes key; // K: make the envelopes, then let it go (wiped on destruction)
};

/// Pads `plaintext` to the smallest bucket that fits and encrypts it under a
/// fresh K and nonce; nullopt when no bucket fits.
[[nodiscard]] std::optional<sealed_body> seal_message(byte_view plaintext,
                                                      const message_address& address,
                                                      std::span<const std::size_t> buckets);

/// The unpadded plaintext, or nullopt (wrong key, tampered, other AD, bad padding).
[[nodiscard]] std::optional<secret_bytes> open_message(byte_view nonce, byte_view ciphertext,
                                                       const message_address& address,
                                                       const secret_bytes& key);

/// A desk's envelope, and the reporter's own copy: crypto_box_seal(K, pk).
[[nodiscard]] bytes seal_envelope(const secret_bytes& key, byte_view recipient_pk);
/// nullopt on any failure.
[[nodiscard]] std::optional<secret_bytes>
open_sealed_envelope(byte_view sealed, byte_view public_key, const secret_bytes& secret_key);

/// The reporter's envelope of a desk reply: crypto_box_easy(K, nonce,
/// reporter box_pk, desk secret key), so only that desk's key could have made it.
struct boxed_envelope {
    bytes nonce; // 24 bytes, fresh
    bytes box;   // 48 bytes
};
[[nodiscard]] boxed_envelope box_reporter_envelope(const secret_bytes& key,
                                                   byte_view reporter_box_pk,
                                                   const secret_bytes& desk_secret_key);
/// K when the envelope opens under that desk's public key; nullopt otherwise
/// (then the reply must never be shown as that desk's).
[[nodiscard]] std::optional<secret_bytes>
open_reporter_envelope(byte_view nonce, byte_view box, byte_view desk_public_key,
                       const secret_bytes& reporter_box_secret_key);

/// Ed25519(mailbox_sk, message_signed_bytes(AD, nonce, ciphertext)).
[[nodiscard]] bytes sign_reporter_message(const message_address& address, byte_view nonce,
                                          byte_view ciphertext,
                                          const secret_bytes& mailbox_secret_key);
[[nodiscard]] bool verify_reporter_message(byte_view signature, const message_address& address,
                                           byte_view nonce, byte_view ciphertext,
                                           byte_view mailbox_public_key);

} // namespace signaal::crypto
