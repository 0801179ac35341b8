#include "server/api/desk_keys_view.hpp"

#include <algorithm>

namespace signaal::api {

bool desk_keys_view::accepts(std::string_view desk, const std::vector<std::uint8_t>& key_id,
                             std::int64_t now_unix) const {
    const auto found = accepted.find(desk);
    if (found == accepted.end()) {
        return false;
    }
    return std::any_of(found->second.begin(), found->second.end(), [&](const auto& key) {
        return key.key_id == key_id && (!key.accept_until || *key.accept_until > now_unix);
    });
}

} // namespace signaal::api
