#include "server/store/id_list.hpp"

namespace signaal::store {

std::string join_ids(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) {
        if (!out.empty()) {
            out += ',';
        }
        out += id;
    }
    return out;
}

std::vector<std::string> split_ids(std::string_view joined) {
    std::vector<std::string> ids;
    while (!joined.empty()) {
        const auto comma = joined.find(',');
        ids.emplace_back(joined.substr(0, comma));
        if (comma == std::string_view::npos) {
            break;
        }
        joined.remove_prefix(comma + 1);
    }
    return ids;
}

} // namespace signaal::store
