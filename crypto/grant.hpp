#pragma once
// A desk key handed from one caseworker to another (PROTOCOL.md §6): the
// secret sealed to the colleague's box key, signed by the granter.
#include "crypto/secret.hpp"

#include <optional>
#include <string_view>

namespace signaal::crypto {

/// "signaal/grant/v1\n" desk "\n" key_id (base64url) "\n" to "\n" wrapped (raw).
[[nodiscard]] bytes grant_signed_bytes(std::string_view desk, std::string_view key_id_b64,
                                       std::string_view to, byte_view wrapped);

/// crypto_box_seal(desk_secret_key, to_box_pk).
[[nodiscard]] bytes grant_wrap(const secret_bytes& desk_secret_key, byte_view to_box_pk);

/// Opens `wrapped` with the receiver's box secret key and accepts the desk
/// secret key only when its recomputed public key equals `public_key` and
/// that key's id equals `expected_key_id`; nullopt otherwise (one failure for all).
[[nodiscard]] std::optional<secret_bytes> grant_unwrap(byte_view wrapped, byte_view public_key,
                                                       byte_view expected_key_id,
                                                       const secret_bytes& to_box_secret_key);

} // namespace signaal::crypto
