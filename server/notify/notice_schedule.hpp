#pragma once
// When each desk may be told next: at most one notice per desk per interval.
// A desk with news and no notice in the last interval is due at once; news
// inside the interval waits for its end, however much of it there is. A failed
// send keeps the news and is tried again an interval later. Times are unix
// seconds from the injected clock, so tests move time by hand. Not thread-safe
// (the notifier holds its lock).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace signaal::notify {

class notice_schedule {
  public:
    explicit notice_schedule(std::int64_t interval_seconds) : interval_(interval_seconds) {}

    /// Something new for `desk`.
    void note(const std::string& desk);
    /// The desks due at `now`, taken: their news is cleared (news arriving
    /// during the send is kept for the next one), and none is due again before
    /// now + interval.
    [[nodiscard]] std::vector<std::string> take_due(std::int64_t now);
    /// The send for `desk` failed: its news comes back, due an interval after
    /// the attempt.
    void failed(const std::string& desk);
    /// The earliest moment a desk with news is due, if any has news.
    [[nodiscard]] std::optional<std::int64_t> next_due() const;

  private:
    struct desk_state {
        bool news = false;
        std::int64_t not_before = 0; // the last attempt + interval
    };
    const std::int64_t interval_;
    std::map<std::string, desk_state> desks_;
};

} // namespace signaal::notify
