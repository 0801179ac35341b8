#pragma once
// The AEAD associated data of reports and messages (PROTOCOL.md §5 step 6, §7).
// The builders sort the lists themselves, so every party gets the same bytes.
#include <span>
#include <string>
#include <string_view>

namespace signaal::crypto {

/// "signaal/report/v1\n" role "\n" category "\n" join(",", sorted consent) "\n"
/// join(",", sorted desks); sorting is bytewise.
[[nodiscard]] std::string report_ad(std::string_view role, std::string_view category,
                                    std::span<const std::string> consent,
                                    std::span<const std::string> desks);

/// "signaal/message/v1\n" report_id_b64 "\n" sender "\n" join(",", sorted recipients).
[[nodiscard]] std::string message_ad(std::string_view report_id_b64, std::string_view sender,
                                     std::span<const std::string> recipients);

} // namespace signaal::crypto
