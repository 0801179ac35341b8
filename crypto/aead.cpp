#include "crypto/aead.hpp"

#include "crypto/misuse.hpp"
#include "crypto/sodium_init.hpp"

#include <sodium.h>

namespace signaal::crypto {

static_assert(aead_key_size == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(aead_nonce_size == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(aead_tag_size == crypto_aead_xchacha20poly1305_ietf_ABYTES);

bytes aead_encrypt(byte_view plaintext, byte_view ad, byte_view nonce, const secret_bytes& key) {
    detail::require_size(nonce.size(), aead_nonce_size, "AEAD nonce");
    detail::require_size(key.size(), aead_key_size, "AEAD key");
    ensure_initialised();
    bytes out(plaintext.size() + aead_tag_size);
    unsigned long long out_len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &out_len, plaintext.data(),
                                               plaintext.size(), ad.data(), ad.size(), nullptr,
                                               nonce.data(), key.data());
    out.resize(static_cast<std::size_t>(out_len));
    return out;
}

std::optional<secret_bytes> aead_decrypt(byte_view ciphertext, byte_view ad, byte_view nonce,
                                         const secret_bytes& key) {
    if (ciphertext.size() < aead_tag_size || nonce.size() != aead_nonce_size ||
        key.size() != aead_key_size) {
        return std::nullopt;
    }
    ensure_initialised();
    const std::size_t len = ciphertext.size() - aead_tag_size;
    secret_bytes out(len);
    std::uint8_t empty_sink = 0; // libsodium wants somewhere to write, even nothing
    std::uint8_t* dest = len == 0 ? &empty_sink : out.data();
    unsigned long long out_len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(dest, &out_len, nullptr, ciphertext.data(),
                                                   ciphertext.size(), ad.data(), ad.size(),
                                                   nonce.data(), key.data()) != 0 ||
        out_len != len) {
        return std::nullopt;
    }
    return out;
}

} // namespace signaal::crypto
