#pragma once
// Where a passphrase comes from (PROTOCOL.md §10). Never from the command line
// itself (it would sit in the shell history and in `ps`). In order:
//   1. a file named with --passphrase-file (for automation; its final line end is dropped),
//   2. an environment variable (SIGNAAL_PASSPHRASE; for tests and automation),
//   3. the terminal, without echo (twice when a new file is locked).
#include "tools/inbox/terminal.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace signaal::inbox {

struct passphrase_source {
    std::optional<std::filesystem::path> file; // --passphrase-file
    std::string environment_variable;          // e.g. "SIGNAAL_PASSPHRASE"
};

/// To open a locked file named `what`: asked once on a terminal.
[[nodiscard]] result<secret_text> passphrase_to_open(const passphrase_source& source,
                                                     std::string_view what);

/// To lock a new file named `what`: asked twice on a terminal, and a mismatch
/// is refused; an empty passphrase is refused from every source.
[[nodiscard]] result<secret_text> passphrase_to_lock(const passphrase_source& source,
                                                     std::string_view what);

} // namespace signaal::inbox
