#pragma once
// The bearer token of a request (PROTOCOL.md §6, §7): every route behind
// sign-in starts here. No, malformed, unknown, expired or ended token: 401; a
// token of the other scope is unknown to the route, so also 401.
#include "server/api/message.hpp"
#include "server/auth/principal.hpp"
#include "server/auth/token_registry.hpp"

#include <string_view>

namespace signaal::api {

/// The token of an `Authorization: Bearer <token>` value; empty when it has none.
[[nodiscard]] std::string_view bearer_token(std::string_view authorization);

[[nodiscard]] answer_or<auth::principal> authenticate(const auth::token_registry& tokens,
                                                      const request& req, auth::scope wanted);

/// authenticate(), and the staff member must be a caseworker (403 otherwise).
[[nodiscard]] answer_or<auth::principal> authenticate_caseworker(const auth::token_registry& tokens,
                                                                 const request& req);

/// authenticate(), and the staff member must be a coordinator (403 otherwise).
[[nodiscard]] answer_or<auth::principal>
authenticate_coordinator(const auth::token_registry& tokens, const request& req);

} // namespace signaal::api
