#pragma once
// Wall-clock time behind a small interface, so tests can move it.
#include <cstdint>
#include <string>

namespace signaal::api {

class clock {
  public:
    virtual ~clock() = default;
    [[nodiscard]] virtual std::int64_t now_unix() const = 0;
};

class system_clock final : public clock {
  public:
    [[nodiscard]] std::int64_t now_unix() const override;
};

/// UTC date "YYYY-MM-DD" of a unix time: the only time the server keeps of a report.
[[nodiscard]] std::string utc_day(std::int64_t unix_seconds);

} // namespace signaal::api
