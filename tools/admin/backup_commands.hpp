#pragma once
// signaal-admin backup PATH | restore PATH: the instance database, copied with
// SQLite's online backup API (server/store/backup.hpp).
#include "tools/admin/command.hpp"

#include <filesystem>

namespace signaal::admin {

/// A consistent copy of the instance database at PATH, also while the server runs.
int backup(const std::filesystem::path& config_file, const std::filesystem::path& target,
           context& ctx);

/// Replaces the instance database with the backup at PATH; refuses a file that is
/// not an intact Signaal database or is newer than this program, and refuses to
/// run while a server holds the data dir.
int restore(const std::filesystem::path& config_file, const std::filesystem::path& source,
            context& ctx);

} // namespace signaal::admin
