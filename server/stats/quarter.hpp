#pragma once
// Quarters of the calendar (PROTOCOL.md §8): "YYYY-Qn", their days, and the
// days that settle them. Days are days since 1970-01-01 UTC, as in the store.
#include "server/common/result.hpp"

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace signaal::stats {

struct quarter {
    int year = 1970;
    int number = 1; // 1..4

    friend auto operator<=>(const quarter&, const quarter&) = default;
};

constexpr int first_year = 1970;
constexpr int last_year = 9999;
/// The most quarters one answer covers (25 years): a range is frozen as a
/// whole, so it must stay small.
constexpr std::size_t max_range_quarters = 100;

/// "2026-Q3": a year from 1970 to 9999, "-Q", a number from 1 to 4, nothing
/// else. The error says what is expected and never repeats the input.
[[nodiscard]] result<quarter> parse_quarter(std::string_view text);

/// "2026-Q3".
[[nodiscard]] std::string quarter_text(quarter q);

/// The quarter a day falls in.
[[nodiscard]] quarter quarter_of_day(std::int64_t day);

[[nodiscard]] quarter next_quarter(quarter q);
[[nodiscard]] quarter previous_quarter(quarter q);

[[nodiscard]] std::int64_t first_day(quarter q);
[[nodiscard]] std::int64_t last_day(quarter q);

/// The last day whose acknowledgements, closes and withdrawals count: the
/// 8th day after the quarter ends (its tables are as of the end of that day).
[[nodiscard]] std::int64_t cutoff_day(quarter q);

/// The first day the quarter may be frozen: the 9th day after it ends, when
/// its cut-off has passed everywhere (UTC).
[[nodiscard]] std::int64_t freeze_day(quarter q);

/// Every quarter from `from` to `to`, both included, in order. An error when
/// `from` comes after `to` or the range holds more than max_range_quarters.
[[nodiscard]] result<std::vector<quarter>> quarter_range(quarter from, quarter to);

} // namespace signaal::stats
