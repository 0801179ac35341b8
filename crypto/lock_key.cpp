#include "crypto/lock_key.hpp"

#include "crypto/passphrase_nfc.hpp"
#include "crypto/random.hpp"
#include "crypto/sodium_init.hpp"

#include <sodium.h>

namespace signaal::crypto {

static_assert(lock_salt_size == crypto_pwhash_SALTBYTES);

lock_params new_lock_params() {
    return {lock_write_opslimit, lock_write_memlimit, random_bytes(lock_salt_size)};
}

bool lock_params_acceptable(const lock_params& params) {
    return params.opslimit >= lock_min_opslimit && params.opslimit <= lock_max_opslimit &&
           params.memlimit >= lock_min_memlimit && params.memlimit <= lock_max_memlimit &&
           params.salt.size() == lock_salt_size;
}

std::optional<secret_bytes> lock_key(std::string_view passphrase, const lock_params& params) {
    if (passphrase.empty() || !lock_params_acceptable(params)) {
        return std::nullopt;
    }
    const auto normal = passphrase_nfc(passphrase);
    if (!normal) {
        return std::nullopt;
    }
    ensure_initialised();
    secret_bytes key(lock_key_size);
    if (crypto_pwhash(key.data(), key.size(), reinterpret_cast<const char*>(normal->data()),
                      normal->size(), params.salt.data(), params.opslimit,
                      static_cast<std::size_t>(params.memlimit),
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return std::nullopt;
    }
    return key;
}

} // namespace signaal::crypto
