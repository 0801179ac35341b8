#pragma once
// signaal-admin desk add | list | rotate: the desks' X25519 key pairs.
// The public key goes into the database; the secret key only into a new
// key file (an offline backup), never into the database.
#include "tools/admin/command.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace signaal::admin {

struct desk_add_options {
    std::filesystem::path config;
    std::string desk;
    std::filesystem::path out; // the new desk key file
};

struct desk_rotate_options {
    std::filesystem::path config;
    std::string desk;
    std::filesystem::path out;
    std::optional<std::int64_t> grace_days; // absent: reports.desk_key_grace_days
};

/// The desk's first key: writes `out`, then adds the public key as current;
/// removes `out` again if the database step fails.
[[nodiscard]] int desk_add(const desk_add_options& options, context& ctx);

/// One line per key: desk, key id, "current" | "accepted until ..." | "retired".
[[nodiscard]] int desk_list(const std::filesystem::path& config, context& ctx);

/// A new current key; the old one stays accepted for the grace days.
[[nodiscard]] int desk_rotate(const desk_rotate_options& options, context& ctx);

} // namespace signaal::admin
