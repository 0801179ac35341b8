#include "server/api/desk_keys_view.hpp"

#include <algorithm>

namespace signaal::api {

bool desk_keys_view::accepts(std::string_view desk, const std::vector<std::uint8_t>& key_id) const {
    const auto found = accepted.find(desk);
    return found != accepted.end() &&
           std::find(found->second.begin(), found->second.end(), key_id) != found->second.end();
}

} // namespace signaal::api
