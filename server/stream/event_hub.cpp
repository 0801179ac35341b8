#include "server/stream/event_hub.hpp"

#include "server/stream/messages.hpp"

#include <algorithm>

namespace signaal::stream {

event_hub::subscription::subscription(subscription&& other) noexcept
    : hub_(std::exchange(other.hub_, nullptr)), id_(std::exchange(other.id_, 0)) {}

event_hub::subscription& event_hub::subscription::operator=(subscription&& other) noexcept {
    if (this != &other) {
        reset();
        hub_ = std::exchange(other.hub_, nullptr);
        id_ = std::exchange(other.id_, 0);
    }
    return *this;
}

void event_hub::subscription::reset() {
    if (hub_ != nullptr) {
        std::exchange(hub_, nullptr)->unsubscribe(id_);
    }
}

event_hub::subscription event_hub::subscribe(std::string staff_id, std::vector<std::string> desks,
                                             std::shared_ptr<stream_sink> sink) {
    std::sort(desks.begin(), desks.end());
    std::lock_guard lock(mutex_);
    const auto id = next_id_++;
    streams_.emplace(id, entry{std::move(staff_id), std::move(desks), std::move(sink)});
    return {*this, id};
}

void event_hub::unsubscribe(std::uint64_t id) {
    std::shared_ptr<stream_sink> last; // released outside the lock
    std::lock_guard lock(mutex_);
    if (auto it = streams_.find(id); it != streams_.end()) {
        last = std::move(it->second.sink);
        streams_.erase(it);
    }
}

void event_hub::publish(std::span<const shared_event> events) {
    std::lock_guard lock(mutex_);
    for (auto& [id, stream] : streams_) {
        batch_.clear();
        for (const auto& e : events) {
            if (std::binary_search(stream.desks.begin(), stream.desks.end(), e->desk)) {
                batch_.push_back(e);
            }
        }
        if (!batch_.empty()) {
            stream.sink->deliver(batch_);
        }
    }
    batch_.clear();
}

void event_hub::publish(const std::vector<store::event_record>& committed) {
    std::vector<shared_event> events;
    events.reserve(committed.size());
    for (const auto& e : committed) {
        events.push_back(make_event(e.desk, e.seq, e.report_id, e.kind));
    }
    publish(events);
}

void event_hub::end_staff(std::string_view staff_id) {
    std::lock_guard lock(mutex_);
    for (auto& [id, stream] : streams_) {
        if (stream.staff_id == staff_id) {
            stream.sink->end(close_code::policy, "Your access was ended.");
        }
    }
}

std::size_t event_hub::size() const {
    std::lock_guard lock(mutex_);
    return streams_.size();
}

shared_event make_event(std::string desk, std::int64_t seq, std::span<const std::uint8_t> report_id,
                        std::string_view kind) {
    auto text = event_text(desk, seq, report_id, kind);
    return std::make_shared<const wire_event>(wire_event{std::move(desk), seq, std::move(text)});
}

} // namespace signaal::stream
