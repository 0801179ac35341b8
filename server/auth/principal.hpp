#pragma once
// Who a bearer token speaks for (PROTOCOL.md §6, §7). A token is scoped: a staff
// token never opens a mailbox route, a mailbox token never a staff route.
#include <cstdint>
#include <string>
#include <vector>

namespace signaal::auth {

enum class scope { staff, mailbox };

enum class role { caseworker, coordinator };

[[nodiscard]] constexpr const char* to_string(role r) {
    return r == role::caseworker ? "caseworker" : "coordinator";
}

struct principal {
    auth::scope scope = scope::staff;
    // Staff tokens: who signed in, as the staff record said at sign-in.
    std::string staff_id;
    auth::role role = role::caseworker;
    std::vector<std::string> desks; // sorted; empty for a coordinator
    // Mailbox tokens: the mailbox_pk that signed in (32 bytes). The report is
    // looked up by it on each request, so a receipt no report carries and a
    // withdrawn report take the same path and both see an empty mailbox.
    std::vector<std::uint8_t> mailbox_pk;

    [[nodiscard]] bool holds_desk(std::string_view desk) const {
        for (const auto& d : desks) {
            if (d == desk) {
                return true;
            }
        }
        return false;
    }
};

} // namespace signaal::auth
