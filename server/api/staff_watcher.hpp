#pragma once
// Operators disable staff with signaal-admin, a separate process, while the
// server runs. This notices on a thread of its own, off every request's path:
// every `interval` it asks SQLite whether another connection committed
// (PRAGMA data_version, no table read when nothing did), and if so re-reads
// who is disabled. Each newly disabled id is reported once to `on_disabled`
// (the server ends that person's tokens there, which closes their streams).
#include "server/common/result.hpp"
#include "server/store/database.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>

namespace signaal::api {

class staff_watcher {
  public:
    static constexpr std::chrono::milliseconds default_interval{500};
    using disabled_handler = std::function<void(const std::string& staff_id)>;

    staff_watcher(store::database read_only, disabled_handler on_disabled,
                  std::chrono::milliseconds interval = default_interval);
    staff_watcher(const staff_watcher&) = delete;
    staff_watcher& operator=(const staff_watcher&) = delete;
    ~staff_watcher(); // stop()

    /// Checks once (what the thread does each tick). Not to be called while the
    /// thread runs. On a database error the known set stays; the next tick retries.
    [[nodiscard]] status check();

    /// Known to be disabled (as of the last check). Thread-safe. A sign-in asks
    /// after issuing its token: a disable that lands between the sign-in's read
    /// of the record and the token is then caught one way or the other.
    [[nodiscard]] bool is_disabled(std::string_view staff_id) const;

    /// Starts the thread; stop() ends it. Both idempotent.
    void start();
    void stop();

  private:
    void run();

    store::database db_; // used by one thread at a time: the caller of check(), then run()
    const disabled_handler on_disabled_;
    const std::chrono::milliseconds interval_;
    std::int64_t data_version_ = -1; // of the last read; -1 before the first

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::set<std::string, std::less<>> disabled_; // guarded by mutex_
    bool stopping_ = false;                       // guarded by mutex_
    std::thread thread_;
};

} // namespace signaal::api
