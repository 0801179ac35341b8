#pragma once
// A reporter's signature on her sealed message (PROTOCOL.md §7): the server
// and every desk client check it against the report's mailbox_pk, so nobody
// who can write the database can speak in her name.
#include "crypto/bytes.hpp"

#include <string_view>

namespace signaal::crypto {

/// "signaal/msgsig/v1\n" AD "\n" nonce (raw) ciphertext (raw); AD from message_ad().
[[nodiscard]] bytes message_signed_bytes(std::string_view ad, byte_view nonce,
                                         byte_view ciphertext);

} // namespace signaal::crypto
