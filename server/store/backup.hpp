#pragma once
// Backup and restore of the instance database with SQLite's online backup API
// (https://sqlite.org/backup.html): a backup is one consistent snapshot, taken
// while the server keeps committing, and holds exactly what was committed when
// it began.
#include "server/common/result.hpp"

#include <cstdint>
#include <filesystem>

namespace signaal::store {

/// What a backup file holds, as far as restore needs to know.
struct backup_info {
    std::int64_t schema_version = 0;
    std::int64_t reports = 0;
};

/// Copies `database` into a new file `target` (mode 0600, refused when it exists),
/// as a single self-contained file (rollback journal, no -wal beside it), checks
/// its integrity and flushes it to disk. On failure nothing is left at `target`.
[[nodiscard]] result<backup_info> write_backup(const std::filesystem::path& database,
                                               const std::filesystem::path& target);

/// Reads `file` without changing it: refuses anything that is not an intact Signaal
/// database, or one whose schema is newer than this binary knows.
[[nodiscard]] result<backup_info> inspect_backup(const std::filesystem::path& file);

/// Replaces the contents of `database` with `backup` (checked by inspect_backup
/// first: a refused file changes nothing), migrates it to this binary's schema
/// and truncates the WAL, so no page of the replaced contents lingers. The caller
/// holds the instance lock: no server may run on the database meanwhile.
[[nodiscard]] result<backup_info> restore_backup(const std::filesystem::path& backup,
                                                 const std::filesystem::path& database);

} // namespace signaal::store
