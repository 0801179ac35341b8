#pragma once
// Passphrases in Unicode normal form C (PROTOCOL.md §10): "é" typed as one
// code point or as e + U+0301 must unlock the same key file.
#include "crypto/secret.hpp"

#include <optional>
#include <string_view>

namespace signaal::crypto {

/// The NFC form of a UTF-8 passphrase, as UTF-8 in wiped memory; nullopt when
/// the input is not valid UTF-8.
[[nodiscard]] std::optional<secret_bytes> passphrase_nfc(std::string_view utf8);

} // namespace signaal::crypto
