#pragma once
// The one mail a desk's addresses get: that there is something new, and where
// the inbox is. Nothing else: no content, category, report id, count or time
// (no Date or Message-ID header either; a relay may add its own).
#include <string>
#include <string_view>

namespace signaal::notify {

/// An RFC 5322 message, CRLF line ends. `from` and the inbox URL were checked
/// by the config; control characters in `desk_name` are dropped.
[[nodiscard]] std::string compose_notice(std::string_view from, std::string_view desk_name,
                                         std::string_view inbox_url);

} // namespace signaal::notify
