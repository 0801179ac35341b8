#include "crypto/key_id.hpp"

#include "crypto/hash.hpp"

#include <algorithm>

namespace signaal::crypto {

key_id key_id_of(byte_view public_key) {
    const digest256 digest = blake2b256(public_key);
    key_id id{};
    std::copy_n(digest.begin(), id.size(), id.begin());
    return id;
}

} // namespace signaal::crypto
