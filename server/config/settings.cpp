// Lookups on a loaded configuration; loading itself is in load.cpp.
#include "server/config/settings.hpp"

#include <algorithm>

namespace signaal::config {

const desk* settings::find_desk(std::string_view id) const {
    const auto it =
        std::find_if(desks.begin(), desks.end(), [&](const desk& d) { return d.id == id; });
    return it == desks.end() ? nullptr : &*it;
}

const category* settings::find_category(std::string_view id) const {
    const auto it = std::find_if(categories.begin(), categories.end(),
                                 [&](const category& c) { return c.id == id; });
    return it == categories.end() ? nullptr : &*it;
}

bool settings::has_role(std::string_view role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 32) {
        return false;
    }
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

} // namespace signaal::config
