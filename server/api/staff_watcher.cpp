#include "server/api/staff_watcher.hpp"

#include "server/store/staff_records.hpp"
#include "server/store/statement.hpp"

#include <vector>

namespace signaal::api {

staff_watcher::staff_watcher(store::database read_only, disabled_handler on_disabled,
                             std::chrono::milliseconds interval)
    : db_(std::move(read_only)), on_disabled_(std::move(on_disabled)), interval_(interval) {}

staff_watcher::~staff_watcher() {
    stop();
}

status staff_watcher::check() {
    auto version = store::statement::prepare(db_, "PRAGMA data_version");
    if (!version) {
        return version.error();
    }
    auto row = version->step();
    if (!row || !*row) {
        return fail("cannot read the data version");
    }
    const auto now = version->column_int64(0);
    if (now == data_version_) {
        return {};
    }
    store::staff_records staff(db_);
    auto ids = staff.disabled_ids();
    if (!ids) {
        return ids.error();
    }
    std::vector<std::string> fresh;
    {
        std::lock_guard lock(mutex_);
        for (auto& id : *ids) {
            if (disabled_.insert(id).second) {
                fresh.push_back(std::move(id));
            }
        }
    }
    data_version_ = now;
    // Outside the lock: the handler may take locks of its own.
    for (const auto& id : fresh) {
        on_disabled_(id);
    }
    return {};
}

bool staff_watcher::is_disabled(std::string_view staff_id) const {
    std::lock_guard lock(mutex_);
    return disabled_.find(staff_id) != disabled_.end();
}

void staff_watcher::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable() || stopping_) {
        return;
    }
    thread_ = std::thread([this] { run(); });
}

void staff_watcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void staff_watcher::run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
        lock.unlock();
        (void)check(); // a failed read keeps the known set; the next tick tries again
        lock.lock();
    }
}

} // namespace signaal::api
