#include "server/stats/quarter.hpp"

#include <chrono>

namespace signaal::stats {
namespace {

constexpr std::int64_t days_after_end_cutoff = 8;

std::int64_t day_of(int year, unsigned month, unsigned day) {
    const std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                          std::chrono::day(day)};
    return std::chrono::sys_days(ymd).time_since_epoch().count();
}

bool digit(char c) {
    return c >= '0' && c <= '9';
}

} // namespace

result<quarter> parse_quarter(std::string_view text) {
    const auto shape_error = [] {
        return fail("a quarter is written YYYY-Qn, for example 2026-Q3");
    };
    if (text.size() != 7 || text[4] != '-' || text[5] != 'Q') {
        return shape_error();
    }
    int year = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        if (!digit(text[i])) {
            return shape_error();
        }
        year = year * 10 + (text[i] - '0');
    }
    if (!digit(text[6])) {
        return shape_error();
    }
    const int number = text[6] - '0';
    if (number < 1 || number > 4) {
        return fail("a quarter's number is 1, 2, 3 or 4 (YYYY-Qn)");
    }
    if (year < first_year) {
        return fail("quarters start in 1970");
    }
    return quarter{year, number};
}

std::string quarter_text(quarter q) {
    std::string text = std::to_string(q.year);
    while (text.size() < 4) {
        text.insert(text.begin(), '0');
    }
    return text + "-Q" + std::to_string(q.number);
}

quarter quarter_of_day(std::int64_t day) {
    const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(day))};
    const auto month = static_cast<unsigned>(ymd.month());
    return quarter{static_cast<int>(ymd.year()), static_cast<int>((month - 1) / 3 + 1)};
}

quarter next_quarter(quarter q) {
    return q.number == 4 ? quarter{q.year + 1, 1} : quarter{q.year, q.number + 1};
}

quarter previous_quarter(quarter q) {
    return q.number == 1 ? quarter{q.year - 1, 4} : quarter{q.year, q.number - 1};
}

std::int64_t first_day(quarter q) {
    return day_of(q.year, static_cast<unsigned>(3 * (q.number - 1) + 1), 1);
}

std::int64_t last_day(quarter q) {
    return first_day(next_quarter(q)) - 1;
}

std::int64_t cutoff_day(quarter q) {
    return last_day(q) + days_after_end_cutoff;
}

std::int64_t freeze_day(quarter q) {
    return cutoff_day(q) + 1;
}

result<std::vector<quarter>> quarter_range(quarter from, quarter to) {
    if (to < from) {
        return fail("the range ends before it starts (to comes before from)");
    }
    std::vector<quarter> quarters;
    for (quarter q = from; q <= to; q = next_quarter(q)) {
        if (quarters.size() == max_range_quarters) {
            return fail("a range holds at most " + std::to_string(max_range_quarters) +
                        " quarters");
        }
        quarters.push_back(q);
    }
    return quarters;
}

} // namespace signaal::stats
