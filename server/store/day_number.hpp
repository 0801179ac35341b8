#pragma once
// Days are stored as integers, days since 1970-01-01 UTC: portable SQL, and
// nothing finer than a day. The C++ side speaks "YYYY-MM-DD".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signaal::store {

/// Days since 1970-01-01 of a valid "YYYY-MM-DD"; nullopt for anything else.
[[nodiscard]] std::optional<std::int64_t> day_number(std::string_view yyyy_mm_dd);

/// "YYYY-MM-DD" of a day number.
[[nodiscard]] std::string day_text(std::int64_t day);

} // namespace signaal::store
