#pragma once
// The freeze policy an instance's config gives: [stats] k and the ids it
// configures (categories, roles, desks). Shared by the server and signaal-admin.
#include "server/config/settings.hpp"
#include "server/stats/frozen_quarters.hpp"

namespace signaal::stats {

[[nodiscard]] freeze_policy configured_policy(const config::settings& settings);

} // namespace signaal::stats
