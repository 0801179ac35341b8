#include "crypto/sodium_init.hpp"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace signaal::crypto {

void ensure_initialised() {
    // sodium_init is itself thread-safe; the static only saves its lock on every call.
    static const bool ok = [] { return sodium_init() >= 0; }();
    if (!ok) {
        std::fputs("signaal: libsodium could not be initialised\n", stderr);
        std::abort();
    }
}

} // namespace signaal::crypto
