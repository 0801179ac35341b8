#pragma once
// How much the server logs: [log] level in the config. Each level includes the
// ones above it: error < warn < info < debug.
#include "server/common/result.hpp"

#include <string_view>

namespace signaal {

enum class log_level { error, warn, info, debug };

/// "error", "warn", "info" or "debug"; anything else is an error naming the four.
[[nodiscard]] result<log_level> parse_log_level(std::string_view text);

/// The word parse_log_level reads back.
[[nodiscard]] std::string_view log_level_name(log_level level);

} // namespace signaal
