#include "crypto/random.hpp"

#include "crypto/sodium_init.hpp"

#include <sodium.h>

namespace signaal::crypto {

bytes random_bytes(std::size_t n) {
    bytes out(n);
    if (n != 0) {
        ensure_initialised();
        randombytes_buf(out.data(), n);
    }
    return out;
}

secret_bytes random_secret(std::size_t n) {
    secret_bytes out(n);
    if (n != 0) {
        ensure_initialised();
        randombytes_buf(out.data(), n);
    }
    return out;
}

} // namespace signaal::crypto
