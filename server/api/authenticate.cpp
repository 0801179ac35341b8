#include "server/api/authenticate.hpp"

#include "server/api/errors.hpp"

namespace signaal::api {

namespace {

response unauthorized() {
    auto r = error(401, "unauthorized", "Sign in first: the token is missing, unknown or expired.");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
}

response forbidden(std::string_view message) {
    return error(403, "forbidden", message);
}

} // namespace

std::string_view bearer_token(std::string_view authorization) {
    constexpr std::string_view prefix = "Bearer ";
    if (authorization.size() <= prefix.size()) {
        return {};
    }
    // The scheme is case-insensitive (RFC 9110 §11.1).
    for (std::size_t i = 0; i + 1 < prefix.size(); ++i) {
        const char c = authorization[i];
        const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        if (lower != "bearer"[i]) {
            return {};
        }
    }
    if (authorization[prefix.size() - 1] != ' ') {
        return {};
    }
    return authorization.substr(prefix.size());
}

answer_or<auth::principal> authenticate(const auth::token_registry& tokens, const request& req,
                                        auth::scope wanted) {
    const auto token = bearer_token(req.authorization);
    if (token.empty()) {
        return unauthorized();
    }
    auto who = tokens.find(token, wanted);
    if (!who) {
        return unauthorized();
    }
    return std::move(*who);
}

answer_or<auth::principal> authenticate_caseworker(const auth::token_registry& tokens,
                                                   const request& req) {
    auto who = authenticate(tokens, req, auth::scope::staff);
    if (who && who->role != auth::role::caseworker) {
        return forbidden("Only caseworkers may do this.");
    }
    return who;
}

answer_or<auth::principal> authenticate_coordinator(const auth::token_registry& tokens,
                                                    const request& req) {
    auto who = authenticate(tokens, req, auth::scope::staff);
    if (who && who->role != auth::role::coordinator) {
        return forbidden("Only coordinators may do this.");
    }
    return who;
}

} // namespace signaal::api
