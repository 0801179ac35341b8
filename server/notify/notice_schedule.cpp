#include "server/notify/notice_schedule.hpp"

#include <algorithm>

namespace signaal::notify {

void notice_schedule::note(const std::string& desk) {
    desks_[desk].news = true;
}

std::vector<std::string> notice_schedule::take_due(std::int64_t now) {
    std::vector<std::string> due;
    for (auto& [desk, state] : desks_) {
        if (state.news && now >= state.not_before) {
            state.news = false;
            state.not_before = now + interval_;
            due.push_back(desk);
        }
    }
    return due;
}

void notice_schedule::failed(const std::string& desk) {
    desks_[desk].news = true;
}

std::optional<std::int64_t> notice_schedule::next_due() const {
    std::optional<std::int64_t> next;
    for (const auto& [desk, state] : desks_) {
        if (state.news) {
            next = next ? std::min(*next, state.not_before) : state.not_before;
        }
    }
    return next;
}

} // namespace signaal::notify
