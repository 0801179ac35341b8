#pragma once
// The signature check of a staff sign-in (PROTOCOL.md §6): the request names no
// origin, so the signature must verify for one of the origins this server
// accepts. A signature made for a look-alike server, another instance, port
// or scheme verifies for none of them.
#include "crypto/bytes.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace signaal::api {

[[nodiscard]] bool signed_for_an_accepted_origin(const std::vector<std::string>& origins,
                                                 std::string_view staff,
                                                 crypto::byte_view challenge,
                                                 crypto::byte_view signature,
                                                 crypto::byte_view sign_pk);

/// The same for a mailbox sign-in (PROTOCOL.md §7): signed by `mailbox_pk`.
[[nodiscard]] bool mailbox_signed_for_an_accepted_origin(const std::vector<std::string>& origins,
                                                         crypto::byte_view challenge,
                                                         crypto::byte_view signature,
                                                         crypto::byte_view mailbox_pk);

} // namespace signaal::api
