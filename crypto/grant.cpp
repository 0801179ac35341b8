#include "crypto/grant.hpp"

#include "crypto/box.hpp"
#include "crypto/key_id.hpp"
#include "crypto/key_pair_check.hpp"

namespace signaal::crypto {

bytes grant_signed_bytes(std::string_view desk, std::string_view key_id_b64, std::string_view to,
                         byte_view wrapped) {
    std::string head = "signaal/grant/v1\n";
    head.append(desk).append("\n");
    head.append(key_id_b64).append("\n");
    head.append(to).append("\n");
    const byte_view h = as_bytes(head);
    bytes out(h.begin(), h.end());
    out.insert(out.end(), wrapped.begin(), wrapped.end());
    return out;
}

bytes grant_wrap(const secret_bytes& desk_secret_key, byte_view to_box_pk) {
    return seal(desk_secret_key.view(), to_box_pk);
}

std::optional<secret_bytes> grant_unwrap(byte_view wrapped, byte_view public_key,
                                         byte_view expected_key_id,
                                         const secret_bytes& to_box_secret_key) {
    const auto to_box_pk = box_public_key_of(to_box_secret_key);
    if (!to_box_pk || public_key.size() != box_public_key_size) {
        return std::nullopt;
    }
    auto secret = seal_open(wrapped, *to_box_pk, to_box_secret_key);
    if (!secret || !box_pair_matches(public_key, *secret)) {
        return std::nullopt;
    }
    const auto id = key_id_of(public_key);
    if (!equal_constant_time(id, expected_key_id)) {
        return std::nullopt;
    }
    return secret;
}

} // namespace signaal::crypto
