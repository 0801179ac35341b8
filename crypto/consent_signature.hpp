#pragma once
// A reporter's signed consent change (PROTOCOL.md §7, stepped consent). The
// change number makes an old change useless to replay.
#include "crypto/bytes.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace signaal::crypto {

/// "signaal/consent/v1\n" report id (base64url) "\n" change (decimal) "\n"
/// join(",", sorted add) "\n" join(",", sorted remove).
[[nodiscard]] bytes consent_signed_bytes(std::string_view report_id_b64, std::uint64_t change,
                                         std::span<const std::string> add,
                                         std::span<const std::string> remove);

} // namespace signaal::crypto
