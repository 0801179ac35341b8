#pragma once
// The daily retention run (config reports.retention_days): purges every
// report received before today − retention_days (store/retention_purge.hpp)
// through the writer, in jobs of `reports_per_job` so that intake never waits
// long behind it, each checkpointing and truncating the WAL after its commit.
// It also drops expired sign-in tokens and challenges from memory. Spent
// proof-of-work tokens are not its business: the writer prunes them on its
// own timer. On a thread of its own; it ticks at start and then every
// `interval` (an hour by default): every tick drops expired tokens, the first
// tick of each day (by the injected clock) purges.
#include "server/api/challenge_store.hpp"
#include "server/api/report_sink.hpp"
#include "server/auth/token_registry.hpp"
#include "server/common/clock.hpp"
#include "server/common/result.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace signaal::api {

/// What one day's purge did.
struct retention_run {
    std::int64_t before_day = 0; // reports received before this day were purged
    std::size_t reports = 0;     // how many had text, keys or envelopes to purge
};

class retention_timer {
  public:
    static constexpr std::chrono::milliseconds default_interval = std::chrono::hours(1);
    static constexpr std::size_t reports_per_job = 256;

    retention_timer(report_sink& writer, unsigned retention_days, const clock& clock,
                    auth::token_registry& tokens, challenge_store& challenges,
                    std::chrono::milliseconds interval = default_interval);
    retention_timer(const retention_timer&) = delete;
    retention_timer& operator=(const retention_timer&) = delete;
    ~retention_timer(); // stop()

    /// One tick on the calling thread: drops expired tokens and challenges;
    /// on the first tick of a day, purges and waits for each job's durable
    /// commit. nullopt when today's purge was done already.
    [[nodiscard]] result<std::optional<retention_run>> run_once();

    /// Told the outcome of every tick of the thread (tests wait on it). Set before start().
    void on_run(std::function<void(const result<std::optional<retention_run>>&)> listener);

    /// Starts the thread (a tick at once, then every interval); stop() ends it.
    /// Stop it before the writer. Both idempotent.
    void start();
    void stop();

  private:
    void run();

    report_sink& writer_;
    const std::int64_t retention_days_;
    const clock& clock_;
    auth::token_registry& tokens_;
    challenge_store& challenges_;
    const std::chrono::milliseconds interval_;
    std::function<void(const result<std::optional<retention_run>>&)> listener_;
    std::optional<std::int64_t> purged_on_; // the day of the last purge (timer thread only)

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false; // guarded by mutex_
    std::thread thread_;
};

} // namespace signaal::api
