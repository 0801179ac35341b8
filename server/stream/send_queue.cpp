#include "server/stream/send_queue.hpp"

namespace signaal::stream {

send_queue::push_result send_queue::push(std::span<const shared_event> events) {
    std::lock_guard lock(mutex_);
    if (closed_) {
        return push_result::closed;
    }
    if (events_.size() >= max_backlog_) {
        closed_ = true;
        events_ = {}; // nothing more is sent; free it now
        return push_result::overflow;
    }
    const bool was_empty = events_.empty();
    events_.insert(events_.end(), events.begin(), events.end());
    return was_empty ? push_result::woke : push_result::queued;
}

std::vector<shared_event> send_queue::take() {
    std::vector<shared_event> out;
    std::lock_guard lock(mutex_);
    out.swap(events_);
    return out;
}

void send_queue::close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    events_ = {};
}

bool send_queue::closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

} // namespace signaal::stream
