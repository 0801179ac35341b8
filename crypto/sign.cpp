#include "crypto/sign.hpp"

#include "crypto/misuse.hpp"
#include "crypto/sodium_init.hpp"

#include <sodium.h>

namespace signaal::crypto {

static_assert(sign_public_key_size == crypto_sign_PUBLICKEYBYTES);
static_assert(sign_secret_key_size == crypto_sign_SECRETKEYBYTES);
static_assert(signature_size == crypto_sign_BYTES);

sign_keypair sign_keygen() {
    ensure_initialised();
    sign_keypair kp{bytes(sign_public_key_size), secret_bytes(sign_secret_key_size)};
    crypto_sign_keypair(kp.public_key.data(), kp.secret_key.data());
    return kp;
}

sign_keypair sign_seed_keypair(byte_view seed) {
    detail::require_size(seed.size(), crypto_sign_SEEDBYTES, "signing seed");
    ensure_initialised();
    sign_keypair kp{bytes(sign_public_key_size), secret_bytes(sign_secret_key_size)};
    crypto_sign_seed_keypair(kp.public_key.data(), kp.secret_key.data(), seed.data());
    return kp;
}

bytes sign_detached(byte_view message, const secret_bytes& secret_key) {
    detail::require_size(secret_key.size(), sign_secret_key_size, "signing secret key");
    ensure_initialised();
    bytes sig(signature_size);
    crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_key.data());
    return sig;
}

bool verify_detached(byte_view signature, byte_view message, byte_view public_key) {
    if (signature.size() != signature_size || public_key.size() != sign_public_key_size) {
        return false;
    }
    ensure_initialised();
    return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                       public_key.data()) == 0;
}

} // namespace signaal::crypto
