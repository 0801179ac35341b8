#pragma once
// The daily run of PROTOCOL.md §8: freezes every quarter that has become due
// (from its 9th day after the end), so a quarter is counted on the first
// possible day even when no one asks. On a thread of its own; it checks at
// start and then every `interval` (an hour by default, so a quarter is frozen
// within the first hour of its freeze day), and freezes through the writer.
#include "server/api/report_sink.hpp"
#include "server/common/clock.hpp"
#include "server/common/result.hpp"
#include "server/config/settings.hpp"
#include "server/store/read_pool.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>

namespace signaal::api {

class stats_freeze_timer {
  public:
    static constexpr std::chrono::milliseconds default_interval = std::chrono::hours(1);

    stats_freeze_timer(store::read_pool& reads, report_sink& writer,
                       const config::settings& settings, const clock& clock,
                       std::chrono::milliseconds interval = default_interval);
    stats_freeze_timer(const stats_freeze_timer&) = delete;
    stats_freeze_timer& operator=(const stats_freeze_timer&) = delete;
    ~stats_freeze_timer(); // stop()

    /// One run on the calling thread: freezes every due quarter not frozen yet
    /// and waits until the writer's commit is durable. How many it handed over.
    [[nodiscard]] result<std::size_t> run_once();

    /// Told the outcome of every run of the thread (tests wait on it). Set before start().
    void on_run(std::function<void(const result<std::size_t>&)> listener);

    /// Starts the thread (a run at once, then every interval); stop() ends it.
    /// Stop it before the writer. Both idempotent.
    void start();
    void stop();

  private:
    void run();

    store::read_pool& reads_;
    report_sink& writer_;
    const config::settings& settings_;
    const clock& clock_;
    const std::chrono::milliseconds interval_;
    std::function<void(const result<std::size_t>&)> listener_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false; // guarded by mutex_
    std::thread thread_;
};

} // namespace signaal::api
