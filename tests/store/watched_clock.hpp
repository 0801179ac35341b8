#pragma once
// A manual clock that also says how often it was read, so a test can wait for
// the report writer's timer: the writer reads the clock once per prune, so the
// second read after a change means a whole prune (and the checkpoint that
// follows it) ran after the change. Waits on a condition, never on a sleep.
#include "server/common/clock.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace signaal::store::test {

class watched_clock final : public signaal::clock {
  public:
    explicit watched_clock(std::int64_t start) : now_(start) {}

    [[nodiscard]] std::int64_t now_unix() const override {
        std::lock_guard lock(mutex_);
        ++reads_;
        read_.notify_all();
        return now_;
    }
    void set(std::int64_t unix_seconds) {
        std::lock_guard lock(mutex_);
        now_ = unix_seconds;
    }
    /// Waits (at most a minute) until the clock has been read `count` more times.
    [[nodiscard]] bool wait_for_reads(std::uint64_t count) const {
        std::unique_lock lock(mutex_);
        const std::uint64_t target = reads_ + count;
        return read_.wait_for(lock, std::chrono::minutes(1), [&] { return reads_ >= target; });
    }

  private:
    mutable std::mutex mutex_;
    mutable std::condition_variable read_;
    mutable std::uint64_t reads_ = 0;
    std::int64_t now_;
};

} // namespace signaal::store::test
