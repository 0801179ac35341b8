#include "server/api/desk_key_refresher.hpp"

#include "server/store/desk_keys.hpp"

namespace signaal::api {

desk_key_refresher::desk_key_refresher(store::database read_only, const config::settings& settings,
                                       const clock& clock, desk_directory& directory,
                                       std::chrono::milliseconds interval)
    : db_(std::move(read_only)), settings_(settings), clock_(clock), directory_(directory),
      interval_(interval) {}

desk_key_refresher::~desk_key_refresher() {
    stop();
}

status desk_key_refresher::reload() {
    // Taken before the read: each waiter's change committed before it asked.
    auto waiters = directory_.take_refresh_waiters();
    store::desk_keys table(db_);
    auto keys = table.accepted(clock_.now_unix());
    if (keys) {
        directory_.publish(view_of(*keys, settings_));
    }
    for (auto& published : waiters) {
        published(); // after a failed read too: the change is durable, the next tick serves it
    }
    if (!keys) {
        return fail("cannot read the desk keys");
    }
    return {};
}

void desk_key_refresher::start() {
    {
        std::lock_guard lock(mutex_);
        if (thread_.joinable() || stopping_) {
            return;
        }
        thread_ = std::thread([this] { run(); });
    }
    // Outside mutex_: refresh_now() takes the directory's lock, then ours.
    directory_.attach_refresher([this] {
        {
            std::lock_guard lock(mutex_);
            requested_ = true;
        }
        wake_.notify_all();
    });
}

void desk_key_refresher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    directory_.attach_refresher({});
    if (thread_.joinable()) {
        thread_.join();
    }
    for (auto& published : directory_.take_refresh_waiters()) {
        published(); // nobody waits for a refresh that will not come
    }
}

void desk_key_refresher::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait_for(lock, interval_, [this] { return stopping_ || requested_; });
        if (stopping_) {
            return;
        }
        requested_ = false;
        lock.unlock();
        (void)reload(); // a failed read keeps the last good snapshot; the next tick tries again
        lock.lock();
    }
}

} // namespace signaal::api
