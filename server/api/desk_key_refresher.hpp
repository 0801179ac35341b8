#pragma once
// Operators add and rotate desk keys with signaal-admin while the server runs.
// This re-reads them from the database every `interval` on a thread of its own
// and publishes them to the desk directory, so no request ever waits on SQLite.
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

    /// Starts the thread (reload() every interval); stop() ends it. Both idempotent.
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
    bool stopping_ = false; // guarded by mutex_
    std::thread thread_;
};

} // namespace signaal::api
