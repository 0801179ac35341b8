#pragma once
// Reading the fields of a request body that reports and messages share: each
// reader answers the first refusal (400, a sentence naming the field) or nothing.
#include "server/api/message.hpp"
#include "server/config/settings.hpp"
#include "server/json/json.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace signaal::api {

/// A failed check carries the refusal; an empty optional means "go on".
using refusal = std::optional<response>;

/// A base64url string field; `size` 0 takes any length, else exactly `size` bytes.
[[nodiscard]] refusal read_binary(const json::value& object, std::string_view key, std::size_t size,
                                  std::vector<std::uint8_t>& out);

/// `nonce` (24 bytes) and `ciphertext` (a configured padding bucket + 16 bytes).
[[nodiscard]] refusal read_nonce_and_ciphertext(const json::value& object,
                                                const config::settings& settings,
                                                std::vector<std::uint8_t>& nonce,
                                                std::vector<std::uint8_t>& ciphertext);

} // namespace signaal::api
