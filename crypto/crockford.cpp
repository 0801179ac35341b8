#include "crypto/crockford.hpp"

#include "crypto/sodium_init.hpp"

#include <sodium.h>

#include <stdexcept>

namespace signaal::crypto {

std::string crockford_groups(byte_view data) {
    if (data.size() * 8 % 5 != 0) {
        throw std::invalid_argument("signaal::crypto: Crockford groups need a multiple of 5 bits");
    }
    std::string out;
    out.reserve(data.size() * 8 / 5 * 5 / 4);
    unsigned acc = 0;
    unsigned bits = 0;
    std::size_t written = 0;
    for (const std::uint8_t b : data) {
        acc = ((acc << 8) | b) & 0xfffU; // at most 12 bits are ever pending
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            if (written != 0 && written % 4 == 0) {
                out.push_back('-');
            }
            out.push_back(crockford_alphabet[(acc >> bits) & 0x1fU]);
            ++written;
        }
    }
    ensure_initialised();
    sodium_memzero(&acc, sizeof acc); // receipts are secrets
    return out;
}

} // namespace signaal::crypto
