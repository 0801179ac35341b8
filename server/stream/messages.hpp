#pragma once
// The text messages of the live stream (PROTOCOL.md §6, GET /api/v1/stream):
// the client's first message, and what the server sends. No Beast here.
#include "server/common/result.hpp"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

namespace signaal::stream {

/// Largest first message read: a token and one seq per desk fit in far less.
inline constexpr std::size_t auth_message_max = 4096;

/// {"type": "auth", "token": "…", "after": {"<desk>": <seq>, …}}; `after` may be
/// left out, and a desk left out of it counts as 0.
struct auth_request {
    std::string token;
    std::map<std::string, std::int64_t, std::less<>> after;
};

/// The error is a plain sentence that quotes nothing of the message: it goes
/// into the close frame.
[[nodiscard]] result<auth_request> parse_auth(std::string_view text);

/// {"type": "event", "seq", "desk", "report_id", "kind"}; report_id in base64url.
[[nodiscard]] std::string event_text(std::string_view desk, std::int64_t seq,
                                     std::span<const std::uint8_t> report_id,
                                     std::string_view kind);

/// {"type": "ready", "seq": {"<desk>": <last>, …}}
[[nodiscard]] std::string ready_text(const std::map<std::string, std::int64_t>& last);

} // namespace signaal::stream
