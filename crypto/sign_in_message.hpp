#pragma once
// The bytes a client signs to sign in (PROTOCOL.md §6 staff, §7 mailbox). Both
// name the origin the client connected to, so a signature made for one
// instance (or a look-alike) cannot be relayed to another.
#include "crypto/bytes.hpp"

#include <string_view>

namespace signaal::crypto {

constexpr std::size_t challenge_size = 32;

/// "signaal/login/v1\n" origin "\n" staff "\n" challenge (32 raw bytes).
[[nodiscard]] bytes staff_sign_in_message(std::string_view origin, std::string_view staff,
                                          byte_view challenge);

/// "signaal/mailbox/v1\n" origin "\n" challenge (32 raw bytes).
[[nodiscard]] bytes mailbox_sign_in_message(std::string_view origin, byte_view challenge);

} // namespace signaal::crypto
