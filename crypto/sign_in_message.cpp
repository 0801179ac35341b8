#include "crypto/sign_in_message.hpp"

#include "crypto/misuse.hpp"

namespace signaal::crypto {

namespace {

void append(bytes& out, std::string_view text) {
    const byte_view b = as_bytes(text);
    out.insert(out.end(), b.begin(), b.end());
}

} // namespace

bytes staff_sign_in_message(std::string_view origin, std::string_view staff, byte_view challenge) {
    detail::require_size(challenge.size(), challenge_size, "sign-in challenge");
    bytes out;
    append(out, "signaal/login/v1\n");
    append(out, origin);
    append(out, "\n");
    append(out, staff);
    append(out, "\n");
    out.insert(out.end(), challenge.begin(), challenge.end());
    return out;
}

bytes mailbox_sign_in_message(std::string_view origin, byte_view challenge) {
    detail::require_size(challenge.size(), challenge_size, "sign-in challenge");
    bytes out;
    append(out, "signaal/mailbox/v1\n");
    append(out, origin);
    append(out, "\n");
    out.insert(out.end(), challenge.begin(), challenge.end());
    return out;
}

} // namespace signaal::crypto
