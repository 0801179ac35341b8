#pragma once
// GET /api/v1/stats (PROTOCOL.md §8): the quarterly numbers, for coordinators.
#include "server/api/message.hpp"
#include "server/api/services.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>

namespace signaal::api {

/// nullopt for a path that is not /api/v1/stats. Coordinators only (a
/// caseworker 403, no token 401); `from` and `to` are quarters YYYY-Qn,
/// `format` json (default) or csv. Due quarters not frozen yet are frozen
/// through the writer first; reads go through the read pool.
[[nodiscard]] boost::asio::awaitable<std::optional<response>> route_stats(services& s,
                                                                          const request& req);

} // namespace signaal::api
