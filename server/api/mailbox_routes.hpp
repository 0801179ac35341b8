#pragma once
// The anonymous follow-up (PROTOCOL.md §7): POST /api/v1/auth/mailbox,
// GET /api/v1/mailbox, POST /api/v1/mailbox/messages,
// DELETE /api/v1/mailbox/reports/<id>, and a desk's reply,
// POST /api/v1/reports/<id>/messages. Mailbox tokens live in memory only,
// at most 30 minutes, and open only the mailbox routes (and logout).
#include "server/api/message.hpp"
#include "server/api/services.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>

namespace signaal::api {

/// The answer for a path of this area; nullopt for any other path.
[[nodiscard]] boost::asio::awaitable<std::optional<response>> route_mailbox(services& s,
                                                                            const request& req);

} // namespace signaal::api
