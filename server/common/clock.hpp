#pragma once
// The one clock of the server and its tools: wall time behind a small
// interface, so tests move it instead of sleeping.
#include <atomic>
#include <cstdint>
#include <string>

namespace signaal {

class clock {
  public:
    virtual ~clock() = default;
    /// Seconds since the unix epoch, UTC.
    [[nodiscard]] virtual std::int64_t now_unix() const = 0;
};

/// The real time.
class system_clock final : public clock {
  public:
    [[nodiscard]] std::int64_t now_unix() const override;
};

/// A clock that only moves when told; safe to read from any thread.
class manual_clock final : public clock {
  public:
    explicit manual_clock(std::int64_t start) : now_(start) {}
    [[nodiscard]] std::int64_t now_unix() const override { return now_.load(); }
    void set(std::int64_t unix_seconds) { now_.store(unix_seconds); }
    void advance(std::int64_t seconds) { now_.fetch_add(seconds); }

  private:
    std::atomic<std::int64_t> now_;
};

/// The process-wide system clock, for code that is handed no other.
[[nodiscard]] const clock& default_clock();

/// Days since 1970-01-01 (UTC) of a unix time: the finest time kept of a report.
[[nodiscard]] std::int64_t unix_day(std::int64_t unix_seconds);

/// UTC date "YYYY-MM-DD" of a unix time.
[[nodiscard]] std::string utc_day(std::int64_t unix_seconds);

} // namespace signaal
