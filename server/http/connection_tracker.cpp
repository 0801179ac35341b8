#include "server/http/connection_tracker.hpp"

#include <vector>

namespace signaal::http {

std::uint64_t connection_tracker::admit(std::function<void()> on_drain) {
    std::lock_guard lock(mutex_);
    if (draining_ || open_.size() >= max_) {
        return 0;
    }
    const auto ticket = next_++;
    open_.emplace(ticket, std::move(on_drain));
    return ticket;
}

void connection_tracker::release(std::uint64_t ticket) {
    std::function<void()> on_empty;
    {
        std::lock_guard lock(mutex_);
        open_.erase(ticket);
        if (draining_ && open_.empty()) {
            on_empty = std::exchange(on_empty_, nullptr);
        }
    }
    if (on_empty) {
        on_empty();
    }
}

void connection_tracker::drain(std::function<void()> on_empty) {
    std::vector<std::function<void()>> notify;
    {
        std::lock_guard lock(mutex_);
        draining_ = true;
        if (!open_.empty()) {
            on_empty_ = std::move(on_empty);
            for (auto& [ticket, on_drain] : open_) {
                notify.push_back(on_drain);
            }
        }
    }
    for (auto& f : notify) {
        f();
    }
    if (notify.empty() && on_empty) {
        on_empty();
    }
}

std::size_t connection_tracker::open() const {
    std::lock_guard lock(mutex_);
    return open_.size();
}

std::size_t connection_tracker::abandon() {
    std::map<std::uint64_t, std::function<void()>> hooks;
    std::function<void()> on_empty;
    {
        std::lock_guard lock(mutex_);
        hooks.swap(open_);
        on_empty.swap(on_empty_);
    }
    return hooks.size(); // destroyed here, outside the lock
}

} // namespace signaal::http
