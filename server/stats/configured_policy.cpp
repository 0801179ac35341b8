#include "server/stats/configured_policy.hpp"

namespace signaal::stats {

freeze_policy configured_policy(const config::settings& settings) {
    freeze_policy p;
    p.k = settings.stats_k;
    for (const auto& c : settings.categories) {
        p.ids.categories.push_back(c.id);
    }
    p.ids.roles = settings.roles;
    for (const auto& d : settings.desks) {
        p.ids.desks.push_back(d.id);
    }
    p.ids.routing = settings.routing;
    return p;
}

} // namespace signaal::stats
