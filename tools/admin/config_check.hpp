#pragma once
// signaal-admin config check: loads a config and prints what it sets up.
#include "tools/admin/command.hpp"

#include <filesystem>

namespace signaal::admin {

/// Prints instance name, listen address, data dir, web root, each desk with
/// whether the database (when there is one) holds a current key for it, and
/// the number of categories. Reads the database only; changes nothing.
[[nodiscard]] int config_check(const std::filesystem::path& config, context& ctx);

} // namespace signaal::admin
