#pragma once
// Desk keys change while the server runs: a holder uploads one (the upload asks
// for a refresh at once, desk_directory::refresh_now), and the grace period of
// a rotated-out key ends. This re-reads them from the database on a thread of
// its own, when asked and every `interval`, and publishes them to the desk
// directory, so no request ever waits on SQLite.
#include "server/api/desk_directory.hpp"
#include "server/common/clock.hpp"
#include "server/common/result.hpp"
#include "server/store/database.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace signaal::api {

class desk_key_refresher {
  public:
    static constexpr std::chrono::milliseconds default_interval{2000};

    desk_key_refresher(store::database read_only, const config::settings& settings,
                       const clock& clock, desk_directory& directory,
                       std::chrono::milliseconds interval = default_interval);
    desk_key_refresher(const desk_key_refresher&) = delete;
    desk_key_refresher& operator=(const desk_key_refresher&) = delete;
    ~desk_key_refresher(); // stop()

    /// Reads the keys once and publishes them; on a database error the last
    /// good snapshot stays. Not to be called while the thread runs.
    [[nodiscard]] status reload();

    /// Starts the thread (reload() every interval and when the directory asks);
    /// stop() ends it and releases every refresh waiter. Both idempotent.
    void start();
    void stop();

  private:
    void run();

    store::database db_; // used by one thread at a time: the caller of reload(), then run()
    const config::settings& settings_;
    const clock& clock_;
    desk_directory& directory_;
    const std::chrono::milliseconds interval_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;  // guarded by mutex_
    bool requested_ = false; // guarded by mutex_: refresh_now() was called
    std::thread thread_;
};

} // namespace signaal::api
