#pragma once
// signaal-admin desk add | list. The operator registers a desk and names who
// may make its key; the key pair itself is made on a holder's machine
// (signaal-inbox desk init, or the web inbox), never here (PROTOCOL.md §6).
#include "tools/admin/command.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace signaal::admin {

struct desk_add_options {
    std::filesystem::path config;
    std::string desk;
    std::vector<std::string> holders; // --holder, at least one
};

/// Registers desk ID (defined in the config) and names its holders, each an
/// active caseworker of that desk. Again for a registered desk: names more.
[[nodiscard]] int desk_add(const desk_add_options& options, context& ctx);

/// Per configured desk: registered or not, named holders, who holds the
/// current key, whether a rotation is due; then each of its keys with
/// "current" | "accepted until ..." | "retired".
[[nodiscard]] int desk_list(const std::filesystem::path& config, context& ctx);

} // namespace signaal::admin
