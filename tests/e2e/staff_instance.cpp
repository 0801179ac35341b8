#include "tests/e2e/staff_instance.hpp"

#include "server/auth/token_registry.hpp"

#include <algorithm>
#include <stdexcept>

namespace signaal::testing {

namespace {

constexpr std::int64_t token_lifetime = 3'600;

std::string issue(http::server& server, auth::principal who) {
    auto issued = server.tokens().issue(std::move(who), token_lifetime);
    if (!issued) {
        throw std::runtime_error("the token registry is full");
    }
    return issued->token;
}

} // namespace

staff_instance::staff_instance() : server_(std::make_unique<in_process_server>(on_disk_)) {}

std::string staff_instance::caseworker(const std::string& id, std::vector<std::string> desks) {
    std::sort(desks.begin(), desks.end());
    return issue(server_->server(),
                 {auth::scope::staff, id, auth::role::caseworker, std::move(desks), {}});
}

std::string staff_instance::coordinator(const std::string& id) {
    return issue(server_->server(), {auth::scope::staff, id, auth::role::coordinator, {}, {}});
}

void staff_instance::end_token(const std::string& token) {
    (void)server_->server().tokens().end(token);
}

} // namespace signaal::testing
