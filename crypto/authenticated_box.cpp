#include "crypto/authenticated_box.hpp"

#include "crypto/box.hpp"
#include "crypto/misuse.hpp"
#include "crypto/sodium_init.hpp"

#include <sodium.h>

namespace signaal::crypto {

static_assert(box_nonce_size == crypto_box_NONCEBYTES);
static_assert(box_tag_size == crypto_box_MACBYTES);

bytes box_encrypt(byte_view message, byte_view nonce, byte_view recipient_pk,
                  const secret_bytes& sender_sk) {
    detail::require_size(nonce.size(), box_nonce_size, "box nonce");
    detail::require_size(recipient_pk.size(), box_public_key_size, "recipient public key");
    detail::require_size(sender_sk.size(), box_secret_key_size, "sender secret key");
    ensure_initialised();
    bytes out(message.size() + box_tag_size);
    if (crypto_box_easy(out.data(), message.data(), message.size(), nonce.data(),
                        recipient_pk.data(), sender_sk.data()) != 0) {
        return {}; // a low-order public key: nothing usable
    }
    return out;
}

std::optional<secret_bytes> box_decrypt(byte_view box, byte_view nonce, byte_view sender_pk,
                                        const secret_bytes& recipient_sk) {
    if (box.size() < box_tag_size || nonce.size() != box_nonce_size ||
        sender_pk.size() != box_public_key_size || recipient_sk.size() != box_secret_key_size) {
        return std::nullopt;
    }
    ensure_initialised();
    const std::size_t len = box.size() - box_tag_size;
    secret_bytes out(len);
    std::uint8_t empty_sink = 0;
    std::uint8_t* dest = len == 0 ? &empty_sink : out.data();
    if (crypto_box_open_easy(dest, box.data(), box.size(), nonce.data(), sender_pk.data(),
                             recipient_sk.data()) != 0) {
        return std::nullopt;
    }
    return out;
}

} // namespace signaal::crypto
