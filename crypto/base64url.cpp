#include "crypto/base64url.hpp"

#include "crypto/sodium_init.hpp"

#include <sodium.h>

namespace signaal::crypto {

namespace {

constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

} // namespace

std::string base64url_encode(byte_view data) {
    if (data.empty()) {
        return {};
    }
    ensure_initialised();
    const std::size_t len = sodium_base64_ENCODED_LEN(data.size(), variant); // counts the NUL
    std::string out(len, '\0');
    sodium_bin2base64(out.data(), len, data.data(), data.size(), variant);
    out.resize(len - 1);
    return out;
}

std::optional<bytes> base64url_decode(std::string_view text) {
    if (text.empty()) {
        return bytes{};
    }
    ensure_initialised();
    bytes out(text.size() / 4 * 3 + 2);
    std::size_t out_len = 0;
    const char* end = nullptr;
    // libsodium refuses padding, '+', '/', an impossible length and non-zero
    // trailing bits (so every value has one spelling); it stops at the first
    // character outside the alphabet, so `end` must be the end of the text.
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &out_len, &end,
                          variant) != 0 ||
        end != text.data() + text.size()) {
        sodium_memzero(out.data(), out.size()); // a partial decode of a secret
        return std::nullopt;
    }
    out.resize(out_len); // shrinks in place: no copy of the value is left behind
    return out;
}

std::optional<bytes> base64url_decode_exact(std::string_view text, std::size_t size) {
    auto out = base64url_decode(text);
    if (out && out->size() != size) {
        if (!out->empty()) {
            sodium_memzero(out->data(), out->size());
        }
        return std::nullopt;
    }
    return out;
}

} // namespace signaal::crypto
