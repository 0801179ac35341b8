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
    store::desk_keys table(db_);
    auto keys = table.accepted(clock_.now_unix());
    if (!keys) {
        return fail("cannot read the desk keys");
    }
    directory_.publish(view_of(*keys, settings_));
    return {};
}

void desk_key_refresher::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable() || stopping_) {
        return;
    }
    thread_ = std::thread([this] { run(); });
}

void desk_key_refresher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void desk_key_refresher::run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
        lock.unlock();
        (void)reload(); // a failed read keeps the last good snapshot; the next tick tries again
        lock.lock();
    }
}

} // namespace signaal::api
