#pragma once
// Staff identity (PROTOCOL.md §6): POST /api/v1/auth/challenge, POST
// /api/v1/auth/staff (sign-in), POST /api/v1/auth/logout and GET
// /api/v1/staff/<id>. Records are read through the read pool, never on a
// connection's strand; the sign-in's audit row goes through the writer.
#include "server/api/message.hpp"
#include "server/api/services.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>

namespace signaal::api {

/// The answer for a path of this area; nullopt for any other path.
[[nodiscard]] boost::asio::awaitable<std::optional<response>> route_auth(services& s,
                                                                         const request& req);

} // namespace signaal::api
