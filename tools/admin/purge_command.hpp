#pragma once
// signaal-admin purge: the retention purge on demand (the server also runs it
// daily), while the server runs or not. Purges what a report keeps beyond the
// quarterly counts for every report received before a day (default: today −
// reports.retention_days), then truncates the WAL.
#include "tools/admin/command.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace signaal::admin {

struct purge_options {
    std::filesystem::path config;
    std::optional<std::string> before; // YYYY-MM-DD, not after today
};

/// Prints how many reports were purged. A malformed or future DAY, a bad
/// config or a missing database: a plain error, and nothing changed.
int purge(const purge_options& options, context& ctx);

} // namespace signaal::admin
