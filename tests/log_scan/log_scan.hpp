#pragma once
// The log scan: what no line of the server's log may hold (issue 11, SECURITY.md).
// A line must be one structured logfmt line (server/common/log_line.hpp), and
// must not hold a peer's address or port, a bearer token, a base64 or hex run
// of id or key length, a receipt code, or a payload field name. The one address
// a line may hold is the server's own, in its `listen=` field, and only when it
// is one of the configured listen hosts.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signaal::testing {

/// What is wrong with `line` (without its '\n'), or nothing.
[[nodiscard]] std::optional<std::string>
find_forbidden(std::string_view line, const std::vector<std::string>& listen_hosts);

/// The event name of a structured line ("" when it has none).
[[nodiscard]] std::string event_of(std::string_view line);

} // namespace signaal::testing
