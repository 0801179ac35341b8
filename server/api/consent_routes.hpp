#pragma once
// Stepped consent (PROTOCOL.md §7): the reporter's signed change,
// POST /api/v1/mailbox/consent (her mailbox token, only for her report), and
// a caseworker's sealing of the report key to the desks she added,
// POST /api/v1/reports/<id>/envelopes (a caseworker of a desk holding an
// envelope; a caller whose desks are only pending gets 403). Both answer
// 200 {"desks", "pending"} once the change is durably committed.
#include "server/api/message.hpp"
#include "server/api/services.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>

namespace signaal::api {

/// The answer for a path of this area; nullopt for any other path.
[[nodiscard]] boost::asio::awaitable<std::optional<response>> route_consent(services& s,
                                                                            const request& req);

} // namespace signaal::api
