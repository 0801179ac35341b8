#include "server/common/log_level.hpp"

#include <array>
#include <string>
#include <utility>

namespace signaal {

namespace {

constexpr std::array<std::pair<log_level, std::string_view>, 4> names{{
    {log_level::error, "error"},
    {log_level::warn, "warn"},
    {log_level::info, "info"},
    {log_level::debug, "debug"},
}};

} // namespace

result<log_level> parse_log_level(std::string_view text) {
    for (const auto& [level, name] : names) {
        if (text == name) {
            return level;
        }
    }
    return fail("must be \"error\", \"warn\", \"info\" or \"debug\", not \"" + std::string(text) +
                "\"");
}

std::string_view log_level_name(log_level level) {
    for (const auto& [l, name] : names) {
        if (l == level) {
            return name;
        }
    }
    return "error";
}

} // namespace signaal
