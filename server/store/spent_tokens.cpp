#include "server/store/spent_tokens.hpp"

#include <algorithm>

namespace signaal::store {

bool spent_tokens::to_hash(std::span<const std::uint8_t> bytes, token_hash& out) {
    if (bytes.size() != out.size()) {
        return false;
    }
    std::copy(bytes.begin(), bytes.end(), out.begin());
    return true;
}

void spent_tokens::add(const token_hash& hash, std::int64_t forget_day) {
    auto [it, inserted] = days_.try_emplace(hash, forget_day);
    if (!inserted) {
        it->second = std::max(it->second, forget_day);
    }
}

void spent_tokens::add_all(const spent_tokens& other) {
    for (const auto& [hash, day] : other.days_) {
        add(hash, day);
    }
}

void spent_tokens::forget_through(std::int64_t today) {
    std::erase_if(days_, [today](const auto& entry) { return entry.second <= today; });
}

} // namespace signaal::store
