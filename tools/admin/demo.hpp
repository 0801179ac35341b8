#pragma once
// signaal-admin demo DIR: a complete runnable instance in a new or empty folder.
#include "tools/admin/command.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace signaal::admin {

struct demo_options {
    std::filesystem::path dir;
    std::filesystem::path web_root; // made absolute in the config
    std::string listen = "127.0.0.1:8443";
};

/// Writes DIR/signaal.toml, the migrated database with one key per desk,
/// DIR/keys/desk-<id>.json and staff-<id>.json (0600, folder 0700) and
/// DIR/tls/cert.pem + key.pem. On failure removes everything it made.
[[nodiscard]] int demo(const demo_options& options, context& ctx);

} // namespace signaal::admin
