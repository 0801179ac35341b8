#pragma once
// Reads a SQLite WAL file the way recovery does (https://sqlite.org/fileformat2.html#walformat):
// a 32-byte header, then frames of a 24-byte header and one page. A frame belongs
// to the current WAL when its salts equal the header's; a commit frame has a
// non-zero "database size" field.
#include <cstddef>
#include <filesystem>
#include <vector>

namespace signaal::store::test {

/// Byte offsets just past each commit frame of the current WAL, in order: the
/// prefixes of the file that SQLite opens as one committed state each. Empty
/// for a missing or empty WAL.
[[nodiscard]] std::vector<std::size_t> wal_commit_ends(const std::filesystem::path& wal);

} // namespace signaal::store::test
