#pragma once
// The public instance configuration, GET /api/v1/config (PROTOCOL.md §3).
#include "server/api/desk_keys_view.hpp"
#include "server/config/settings.hpp"

#include <string>

namespace signaal::api {

/// Desks without a current key are left out (nobody could open a report for
/// them), and so are they from the routing lists.
[[nodiscard]] std::string config_document(const config::settings& settings,
                                          const desk_keys_view& keys);

} // namespace signaal::api
