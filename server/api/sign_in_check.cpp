#include "server/api/sign_in_check.hpp"

#include "crypto/sign.hpp"
#include "crypto/sign_in_message.hpp"

namespace signaal::api {

bool signed_for_an_accepted_origin(const std::vector<std::string>& origins, std::string_view staff,
                                   crypto::byte_view challenge, crypto::byte_view signature,
                                   crypto::byte_view sign_pk) {
    if (challenge.size() != crypto::challenge_size || signature.size() != crypto::signature_size ||
        sign_pk.size() != crypto::sign_public_key_size) {
        return false;
    }
    for (const auto& origin : origins) {
        const auto message = crypto::staff_sign_in_message(origin, staff, challenge);
        if (crypto::verify_detached(signature, message, sign_pk)) {
            return true;
        }
    }
    return false;
}

bool mailbox_signed_for_an_accepted_origin(const std::vector<std::string>& origins,
                                           crypto::byte_view challenge, crypto::byte_view signature,
                                           crypto::byte_view mailbox_pk) {
    if (challenge.size() != crypto::challenge_size || signature.size() != crypto::signature_size ||
        mailbox_pk.size() != crypto::sign_public_key_size) {
        return false;
    }
    for (const auto& origin : origins) {
        if (crypto::verify_detached(signature, crypto::mailbox_sign_in_message(origin, challenge),
                                    mailbox_pk)) {
            return true;
        }
    }
    return false;
}

} // namespace signaal::api
