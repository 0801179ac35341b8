#include "server/api/desk_directory.hpp"

#include "server/api/config_document.hpp"

#include <utility>

namespace signaal::api {

desk_keys_view view_of(const std::vector<store::desk_key>& keys, const config::settings& settings) {
    desk_keys_view view;
    for (const auto& key : keys) {
        if (settings.find_desk(key.desk) == nullptr) {
            continue; // a key for a desk the config no longer has
        }
        view.accepted[key.desk].push_back({key.key_id, key.accept_until, key.public_key});
        if (!key.accept_until) {
            view.current[key.desk] = {key.key_id, key.public_key};
        }
    }
    return view;
}

desk_directory::desk_directory(const config::settings& settings)
    : settings_(settings), snapshot_(std::make_shared<const desk_snapshot>(
                               desk_snapshot{{}, config_document(settings, desk_keys_view{})})) {}

std::shared_ptr<const desk_snapshot> desk_directory::current() const {
    return snapshot_.load(std::memory_order_acquire);
}

void desk_directory::publish(desk_keys_view keys) {
    auto document = config_document(settings_, keys);
    snapshot_.store(
        std::make_shared<const desk_snapshot>(desk_snapshot{std::move(keys), std::move(document)}),
        std::memory_order_release);
    {
        std::lock_guard lock(mutex_);
        ++published_;
    }
    published_cv_.notify_all();
}

std::uint64_t desk_directory::published() const {
    std::lock_guard lock(mutex_);
    return published_;
}

bool desk_directory::wait_published_after(std::uint64_t seen,
                                          std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return published_cv_.wait_for(lock, timeout, [&] { return published_ > seen; });
}

void desk_directory::refresh_now(std::function<void()> published) {
    {
        std::lock_guard lock(mutex_);
        if (wake_refresher_) {
            refresh_waiters_.push_back(std::move(published));
            wake_refresher_();
            return;
        }
    }
    published();
}

void desk_directory::attach_refresher(std::function<void()> wake) {
    std::lock_guard lock(mutex_);
    wake_refresher_ = std::move(wake);
}

std::vector<std::function<void()>> desk_directory::take_refresh_waiters() {
    std::lock_guard lock(mutex_);
    return std::exchange(refresh_waiters_, {});
}

} // namespace signaal::api
