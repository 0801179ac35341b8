#include "server/api/body_fields.hpp"

#include "crypto/aead.hpp"
#include "crypto/base64url.hpp"
#include "server/api/errors.hpp"

#include <algorithm>
#include <string>

namespace signaal::api {

refusal read_binary(const json::value& object, std::string_view key, std::size_t size,
                    std::vector<std::uint8_t>& out) {
    const auto* v = json::find(object, key);
    if (v == nullptr || !v->is_string()) {
        return bad_request("Field '" + std::string(key) + "' must be a base64url string.");
    }
    auto decoded = size == 0 ? crypto::base64url_decode(v->as_string())
                             : crypto::base64url_decode_exact(v->as_string(), size);
    if (!decoded) {
        return bad_request("Field '" + std::string(key) +
                           "' is not base64url of the right length.");
    }
    out = std::move(*decoded);
    return std::nullopt;
}

refusal read_nonce_and_ciphertext(const json::value& object, const config::settings& settings,
                                  std::vector<std::uint8_t>& nonce,
                                  std::vector<std::uint8_t>& ciphertext) {
    if (auto r = read_binary(object, "nonce", crypto::aead_nonce_size, nonce)) {
        return r;
    }
    if (auto r = read_binary(object, "ciphertext", 0, ciphertext)) {
        return r;
    }
    const auto& buckets = settings.padding_buckets;
    const auto length = ciphertext.size();
    if (length < crypto::aead_tag_size ||
        std::find(buckets.begin(), buckets.end(), length - crypto::aead_tag_size) ==
            buckets.end()) {
        return bad_request("The ciphertext length is not a padding bucket plus 16.");
    }
    return std::nullopt;
}

} // namespace signaal::api
