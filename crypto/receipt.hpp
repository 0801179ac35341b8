#pragma once
// Receipt codes and the mailbox keys derived from them (PROTOCOL.md §7).
#include "crypto/box.hpp"
#include "crypto/sign.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace signaal::crypto {

constexpr std::size_t receipt_size = 10;

/// 16 Crockford base32 characters in groups of four: "K7QM-2XDA-9FRT-WB3N".
[[nodiscard]] std::string receipt_format(byte_view receipt);
/// Drops '-' and white space (space, tab, U+00A0, line ends), reads any case,
/// O as 0, I and L as 1; then exactly 16 characters of the alphabet, else nullopt.
[[nodiscard]] std::optional<secret_bytes> receipt_parse(std::string_view text);

struct receipt_keys {
    box_keypair box;
    sign_keypair mailbox;
};
[[nodiscard]] receipt_keys receipt_derive(const secret_bytes& receipt);

} // namespace signaal::crypto
