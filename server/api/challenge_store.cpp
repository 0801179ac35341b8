#include "server/api/challenge_store.hpp"

#include "crypto/random.hpp"

#include <algorithm>
#include <iterator>

namespace signaal::api {

challenge_store::challenge_store(const clock& clock, std::int64_t lifetime_seconds,
                                 std::size_t max_outstanding)
    : clock_(clock), lifetime_(lifetime_seconds), max_outstanding_(max_outstanding) {}

std::optional<challenge_store::challenge> challenge_store::issue() {
    challenge value{};
    const auto random = crypto::random_bytes(challenge_size);
    std::copy(random.begin(), random.end(), value.begin());
    const auto now = clock_.now_unix();
    std::lock_guard lock(mutex_);
    if (expires_.size() >= max_outstanding_) {
        drop_expired(now);
        if (expires_.size() >= max_outstanding_) {
            return std::nullopt;
        }
    }
    expires_.insert_or_assign(value, now + lifetime_);
    return value;
}

bool challenge_store::take(std::span<const std::uint8_t> value) {
    if (value.size() != challenge_size) {
        return false;
    }
    challenge key{};
    std::copy(value.begin(), value.end(), key.begin());
    const auto now = clock_.now_unix();
    std::lock_guard lock(mutex_);
    const auto it = expires_.find(key);
    if (it == expires_.end()) {
        return false;
    }
    const bool fresh = now < it->second;
    expires_.erase(it);
    return fresh;
}

std::size_t challenge_store::outstanding() const {
    std::lock_guard lock(mutex_);
    return expires_.size();
}

std::size_t challenge_store::forget_expired() {
    const auto now = clock_.now_unix();
    std::lock_guard lock(mutex_);
    const auto before = expires_.size();
    drop_expired(now);
    return before - expires_.size();
}

void challenge_store::drop_expired(std::int64_t now) {
    std::erase_if(expires_, [now](const auto& entry) { return entry.second <= now; });
}

} // namespace signaal::api
