#pragma once
// consent and desks are stored as their sorted ids joined by ',' (ids never contain ',').
#include <string>
#include <string_view>
#include <vector>

namespace signaal::store {

[[nodiscard]] std::string join_ids(const std::vector<std::string>& ids);
/// "" gives an empty list.
[[nodiscard]] std::vector<std::string> split_ids(std::string_view joined);

} // namespace signaal::store
