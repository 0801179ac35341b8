#include "crypto/pow.hpp"

#include "crypto/misuse.hpp"
#include "crypto/random.hpp"
#include "crypto/sodium_init.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <bit>
#include <utility>

namespace signaal::crypto {

namespace {

constexpr std::uint8_t token_version = 0x01;
constexpr std::size_t token_random_size = 12;
constexpr std::size_t token_signed_size = 1 + 8 + token_random_size; // 21
constexpr std::size_t token_mac_size = 16;
constexpr std::size_t token_size = token_signed_size + token_mac_size; // 37

void put_u64_be(std::uint8_t* out, std::uint64_t v) {
    for (std::size_t i = 0; i < 8; ++i) {
        out[i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
    }
}

std::uint64_t get_u64_be(const std::uint8_t* in) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        v = (v << 8) | in[i];
    }
    return v;
}

std::array<std::uint8_t, 32> pow_hash(byte_view token, byte_view nonce) {
    std::array<std::uint8_t, 32> out{};
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, out.size());
    crypto_generichash_update(&state, token.data(), token.size());
    crypto_generichash_update(&state, nonce.data(), nonce.size());
    crypto_generichash_final(&state, out.data(), out.size());
    return out;
}

std::array<std::uint8_t, token_mac_size> token_mac(const std::uint8_t* signed_part,
                                                   const secret_bytes& key) {
    std::array<std::uint8_t, token_mac_size> mac{};
    crypto_generichash(mac.data(), mac.size(), signed_part, token_signed_size, key.data(),
                       key.size());
    return mac;
}

} // namespace

unsigned leading_zero_bits(byte_view digest) {
    unsigned bits = 0;
    for (const std::uint8_t b : digest) {
        if (b != 0) {
            return bits + static_cast<unsigned>(std::countl_zero(b));
        }
        bits += 8;
    }
    return bits;
}

bool pow_satisfied(byte_view token, byte_view nonce, unsigned difficulty) {
    if (nonce.size() != pow_nonce_size) {
        return false;
    }
    ensure_initialised();
    return leading_zero_bits(pow_hash(token, nonce)) >= difficulty;
}

bytes pow_solve(byte_view token, unsigned difficulty) {
    ensure_initialised();
    bytes nonce(pow_nonce_size);
    // Counting up big-endian; 2^64 tries is far beyond any difficulty we ask for.
    for (std::uint64_t n = 0;; ++n) {
        put_u64_be(nonce.data(), n);
        if (leading_zero_bits(pow_hash(token, nonce)) >= difficulty) {
            return nonce;
        }
    }
}

pow_tokens::pow_tokens(secret_bytes key) : key_(std::move(key)) {
    detail::require_size(key_.size(), pow_key_size, "proof-of-work key");
}

bytes pow_tokens::mint(std::int64_t expiry_unix) const {
    ensure_initialised();
    bytes token(token_size);
    token[0] = token_version;
    put_u64_be(token.data() + 1, static_cast<std::uint64_t>(expiry_unix));
    randombytes_buf(token.data() + 9, token_random_size);
    const auto mac = token_mac(token.data(), key_);
    std::copy(mac.begin(), mac.end(), token.begin() + token_signed_size);
    return token;
}

std::optional<std::int64_t> pow_tokens::verify(byte_view token) const {
    if (token.size() != token_size || token[0] != token_version) {
        return std::nullopt;
    }
    ensure_initialised();
    const auto mac = token_mac(token.data(), key_);
    if (crypto_verify_16(mac.data(), token.data() + token_signed_size) != 0) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(get_u64_be(token.data() + 1));
}

} // namespace signaal::crypto
