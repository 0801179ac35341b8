#pragma once
// The staff side of reports (PROTOCOL.md §6 "Inbox and reports"):
// GET /api/v1/inbox, GET /api/v1/reports/<id>, POST /api/v1/reports/<id>/status.
// Access: a caseworker's token (else 401; a coordinator's is 403); a report
// routed to none of the caller's desks is 404 on every route under
// /api/v1/reports/<id>, with the body of a report that does not exist.
#include "server/api/message.hpp"
#include "server/api/services.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>

namespace signaal::api {

/// The answer for a path of this area; nullopt for any other path.
[[nodiscard]] boost::asio::awaitable<std::optional<response>> route_reports(services& s,
                                                                            const request& req);

} // namespace signaal::api
