#include "server/common/clock.hpp"

#include <chrono>
#include <cstdio>

namespace signaal {

std::int64_t system_clock::now_unix() const {
    const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
}

const clock& default_clock() {
    static const system_clock instance;
    return instance;
}

std::int64_t unix_day(std::int64_t unix_seconds) {
    using namespace std::chrono;
    return floor<days>(sys_seconds{seconds{unix_seconds}}).time_since_epoch().count();
}

std::string utc_day(std::int64_t unix_seconds) {
    using namespace std::chrono;
    const sys_days day = floor<days>(sys_seconds{seconds{unix_seconds}});
    const year_month_day ymd{day};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return text;
}

} // namespace signaal
