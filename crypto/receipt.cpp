#include "crypto/receipt.hpp"

#include "crypto/crockford.hpp"
#include "crypto/hash.hpp"
#include "crypto/misuse.hpp"
#include "crypto/sodium_init.hpp"

#include <sodium.h>

namespace signaal::crypto {

namespace {

constexpr std::size_t receipt_chars = 16; // 80 bits / 5
constexpr std::string_view derive_prefix = "signaal/receipt/v1";
constexpr std::string_view no_break_space = "\xc2\xa0"; // U+00A0 in UTF-8

/// Value of one character after the reading rules (any case, O->0, I/L->1); -1 when not allowed.
int crockford_value(char c) {
    if (c >= 'a' && c <= 'z') {
        c = static_cast<char>(c - 'a' + 'A');
    }
    if (c == 'O') {
        c = '0';
    } else if (c == 'I' || c == 'L') {
        c = '1';
    }
    const auto pos = crockford_alphabet.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

/// What a reader drops: '-', space, tab, line ends; U+00A0 is handled by the caller.
bool is_separator(char c) {
    return c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

std::string receipt_format(byte_view receipt) {
    detail::require_size(receipt.size(), receipt_size, "receipt");
    return crockford_groups(receipt);
}

std::optional<secret_bytes> receipt_parse(std::string_view text) {
    secret_bytes out(receipt_size);
    unsigned acc = 0;
    unsigned bits = 0;
    std::size_t chars = 0;
    std::size_t written = 0;
    bool ok = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (is_separator(c)) {
            continue;
        }
        if (text.substr(i, no_break_space.size()) == no_break_space) {
            ++i; // both bytes of U+00A0
            continue;
        }
        const int v = crockford_value(c);
        if (v < 0 || chars == receipt_chars) {
            ok = false;
            break;
        }
        ++chars;
        acc = ((acc << 5) | static_cast<unsigned>(v)) & 0xfffU;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.data()[written++] = static_cast<std::uint8_t>(acc >> bits);
            acc &= (1U << bits) - 1U;
        }
    }
    sodium_memzero(&acc, sizeof acc);
    if (!ok || chars != receipt_chars) {
        return std::nullopt; // `out` wipes itself
    }
    return out;
}

receipt_keys receipt_derive(const secret_bytes& receipt) {
    detail::require_size(receipt.size(), receipt_size, "receipt");
    ensure_initialised();

    digest256 seed{};
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, seed.size());
    crypto_generichash_update(&state, as_bytes(derive_prefix).data(), derive_prefix.size());
    crypto_generichash_update(&state, receipt.data(), receipt.size());
    crypto_generichash_final(&state, seed.data(), seed.size());
    sodium_memzero(&state, sizeof state);

    digest256 box_seed = blake2b256_keyed(as_bytes("box"), seed);
    digest256 sign_seed = blake2b256_keyed(as_bytes("sign"), seed);
    sodium_memzero(seed.data(), seed.size());

    receipt_keys keys{box_seed_keypair(box_seed), sign_seed_keypair(sign_seed)};
    sodium_memzero(box_seed.data(), box_seed.size());
    sodium_memzero(sign_seed.data(), sign_seed.size());
    return keys;
}

} // namespace signaal::crypto
