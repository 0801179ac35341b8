#include "crypto/secretbox.hpp"

#include "crypto/misuse.hpp"
#include "crypto/sodium_init.hpp"

#include <sodium.h>

namespace signaal::crypto {

static_assert(secretbox_key_size == crypto_secretbox_KEYBYTES);
static_assert(secretbox_nonce_size == crypto_secretbox_NONCEBYTES);
static_assert(secretbox_tag_size == crypto_secretbox_MACBYTES);

bytes secretbox_seal(byte_view message, byte_view nonce, const secret_bytes& key) {
    detail::require_size(nonce.size(), secretbox_nonce_size, "secretbox nonce");
    detail::require_size(key.size(), secretbox_key_size, "secretbox key");
    ensure_initialised();
    bytes out(message.size() + secretbox_tag_size);
    crypto_secretbox_easy(out.data(), message.data(), message.size(), nonce.data(), key.data());
    return out;
}

std::optional<secret_bytes> secretbox_open(byte_view box, byte_view nonce,
                                           const secret_bytes& key) {
    if (box.size() < secretbox_tag_size || nonce.size() != secretbox_nonce_size ||
        key.size() != secretbox_key_size) {
        return std::nullopt;
    }
    ensure_initialised();
    const std::size_t len = box.size() - secretbox_tag_size;
    secret_bytes out(len);
    std::uint8_t empty_sink = 0;
    std::uint8_t* dest = len == 0 ? &empty_sink : out.data();
    if (crypto_secretbox_open_easy(dest, box.data(), box.size(), nonce.data(), key.data()) != 0) {
        return std::nullopt;
    }
    return out;
}

} // namespace signaal::crypto
