#include "crypto/key_pair_check.hpp"

#include "crypto/box.hpp"
#include "crypto/sign.hpp"
#include "crypto/sodium_init.hpp"

#include <sodium.h>

namespace signaal::crypto {

std::optional<bytes> box_public_key_of(const secret_bytes& secret_key) {
    if (secret_key.size() != box_secret_key_size) {
        return std::nullopt;
    }
    ensure_initialised();
    bytes public_key(box_public_key_size);
    if (crypto_scalarmult_base(public_key.data(), secret_key.data()) != 0) {
        return std::nullopt;
    }
    return public_key;
}

std::optional<bytes> sign_public_key_of(const secret_bytes& secret_key) {
    if (secret_key.size() != sign_secret_key_size) {
        return std::nullopt;
    }
    ensure_initialised();
    const sign_keypair from_seed =
        sign_seed_keypair(secret_key.view().first(crypto_sign_SEEDBYTES));
    bytes stored(sign_public_key_size);
    crypto_sign_ed25519_sk_to_pk(stored.data(), secret_key.data());
    if (from_seed.public_key != stored) {
        return std::nullopt; // the two halves of the 64-byte form disagree
    }
    return stored;
}

bool box_pair_matches(byte_view public_key, const secret_bytes& secret_key) {
    const auto recomputed = box_public_key_of(secret_key);
    return recomputed && equal_constant_time(*recomputed, public_key);
}

bool sign_pair_matches(byte_view public_key, const secret_bytes& secret_key) {
    const auto recomputed = sign_public_key_of(secret_key);
    return recomputed && equal_constant_time(*recomputed, public_key);
}

} // namespace signaal::crypto
