#pragma once
// signaal-admin staff add | disable | list, and audit: the staff records the
// server signs people in with, and the trail of what staff did.
#include "tools/admin/command.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace signaal::admin {

struct staff_add_options {
    std::filesystem::path config;
    std::string id;
    std::string role;               // caseworker | coordinator
    std::vector<std::string> desks; // --desk, repeatable; none for a coordinator
    std::string sign_pk;            // base64url, 32 bytes (Ed25519)
    std::string box_pk;             // base64url, 32 bytes (X25519)
};

/// Adds an enabled staff member; the desks must be defined in the config.
[[nodiscard]] int staff_add(const staff_add_options& options, context& ctx);

/// Disables a staff member and writes a `disable` audit row, in one transaction.
/// A running server notices and ends their sign-ins and streams at once.
[[nodiscard]] int staff_disable(const std::filesystem::path& config, const std::string& id,
                                context& ctx);

/// One line per staff member: id, role, desks ("-" for none), and "disabled".
[[nodiscard]] int staff_list(const std::filesystem::path& config, context& ctx);

/// One line per audit row from `from_day` ("YYYY-MM-DD") on, or every row:
/// day, staff id, action, and the report id (base64url) when there is one.
[[nodiscard]] int audit_print(const std::filesystem::path& config,
                              const std::optional<std::string>& from_day, context& ctx);

} // namespace signaal::admin
