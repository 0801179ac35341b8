#include "crypto/message_signature.hpp"

namespace signaal::crypto {

bytes message_signed_bytes(std::string_view ad, byte_view nonce, byte_view ciphertext) {
    constexpr std::string_view prefix = "signaal/msgsig/v1\n";
    bytes out;
    out.reserve(prefix.size() + ad.size() + 1 + nonce.size() + ciphertext.size());
    for (const std::string_view text : {prefix, ad, std::string_view("\n")}) {
        const byte_view b = as_bytes(text);
        out.insert(out.end(), b.begin(), b.end());
    }
    out.insert(out.end(), nonce.begin(), nonce.end());
    out.insert(out.end(), ciphertext.begin(), ciphertext.end());
    return out;
}

} // namespace signaal::crypto
