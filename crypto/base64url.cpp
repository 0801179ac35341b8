#include "crypto/base64url.hpp"

#include "crypto/sodium_init.hpp"

#include <sodium.h>

#include <algorithm>

namespace signaal::crypto {

namespace {

constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

bool is_alphabet(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

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
    // libsodium alone would stop at the first bad character; we want the whole
    // input or nothing, so check the alphabet first. No '=', '+', '/', space.
    if (!std::all_of(text.begin(), text.end(), is_alphabet)) {
        return std::nullopt;
    }
    if (text.size() % 4 == 1) {
        return std::nullopt; // no byte string encodes to this length
    }
    ensure_initialised();
    bytes out(text.size() / 4 * 3 + 2);
    std::size_t out_len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &out_len, &end,
                          variant) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(out_len);
    // One value, one encoding: non-zero trailing bits would give a second spelling.
    if (base64url_encode(out) != text) {
        return std::nullopt;
    }
    return out;
}

std::optional<bytes> base64url_decode_exact(std::string_view text, std::size_t size) {
    auto out = base64url_decode(text);
    if (!out || out->size() != size) {
        return std::nullopt;
    }
    return out;
}

} // namespace signaal::crypto
