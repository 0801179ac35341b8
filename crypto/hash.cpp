#include "crypto/hash.hpp"

#include "crypto/sodium_init.hpp"

#include <sodium.h>

#include <stdexcept>

namespace signaal::crypto {

digest256 blake2b256(byte_view message) {
    ensure_initialised();
    digest256 out{};
    crypto_generichash(out.data(), out.size(), message.data(), message.size(), nullptr, 0);
    return out;
}

digest256 blake2b256_keyed(byte_view message, byte_view key) {
    if (key.size() < crypto_generichash_KEYBYTES_MIN ||
        key.size() > crypto_generichash_KEYBYTES_MAX) {
        throw std::invalid_argument("signaal::crypto: BLAKE2b key must be 16..64 bytes");
    }
    ensure_initialised();
    digest256 out{};
    crypto_generichash(out.data(), out.size(), message.data(), message.size(), key.data(),
                       key.size());
    return out;
}

} // namespace signaal::crypto
