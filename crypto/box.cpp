#include "crypto/box.hpp"

#include "crypto/misuse.hpp"
#include "crypto/sodium_init.hpp"

#include <sodium.h>

namespace signaal::crypto {

static_assert(box_public_key_size == crypto_box_PUBLICKEYBYTES);
static_assert(box_secret_key_size == crypto_box_SECRETKEYBYTES);
static_assert(box_seed_size == crypto_box_SEEDBYTES);
static_assert(seal_overhead == crypto_box_SEALBYTES);

box_keypair box_keygen() {
    ensure_initialised();
    box_keypair kp{bytes(box_public_key_size), secret_bytes(box_secret_key_size)};
    crypto_box_keypair(kp.public_key.data(), kp.secret_key.data());
    return kp;
}

box_keypair box_seed_keypair(byte_view seed) {
    detail::require_size(seed.size(), box_seed_size, "box seed");
    ensure_initialised();
    box_keypair kp{bytes(box_public_key_size), secret_bytes(box_secret_key_size)};
    crypto_box_seed_keypair(kp.public_key.data(), kp.secret_key.data(), seed.data());
    return kp;
}

bytes seal(byte_view message, byte_view recipient_pk) {
    detail::require_size(recipient_pk.size(), box_public_key_size, "recipient public key");
    ensure_initialised();
    bytes out(message.size() + seal_overhead);
    if (crypto_box_seal(out.data(), message.data(), message.size(), recipient_pk.data()) != 0) {
        // Only a low-order public key makes this fail; the caller gets nothing usable.
        return {};
    }
    return out;
}

std::optional<secret_bytes> seal_open(byte_view sealed, byte_view public_key,
                                      const secret_bytes& secret_key) {
    if (sealed.size() < seal_overhead || public_key.size() != box_public_key_size ||
        secret_key.size() != box_secret_key_size) {
        return std::nullopt;
    }
    ensure_initialised();
    const std::size_t len = sealed.size() - seal_overhead;
    secret_bytes out(len);
    std::uint8_t empty_sink = 0; // libsodium wants somewhere to write, even nothing
    std::uint8_t* dest = len == 0 ? &empty_sink : out.data();
    if (crypto_box_seal_open(dest, sealed.data(), sealed.size(), public_key.data(),
                             secret_key.data()) != 0) {
        return std::nullopt;
    }
    return out;
}

} // namespace signaal::crypto
