#pragma once
// The desk-keys area of the API (PROTOCOL.md §6): desk views, key uploads,
// grants, and the keys granted to the caller.
#include "server/api/message.hpp"
#include "server/api/services.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>

namespace signaal::api {

/// The answer for a path of this area; nullopt for any other path.
[[nodiscard]] boost::asio::awaitable<std::optional<response>> route_desk_keys(services& s,
                                                                              const request& req);

} // namespace signaal::api
