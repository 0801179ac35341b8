#pragma once
// The caseworker's own key file, opened for one command: v2 with its
// passphrase, v1 with a warning (its secrets lie on disk unlocked).
#include "tools/common/key_files.hpp"
#include "tools/inbox/command.hpp"
#include "tools/inbox/passphrase.hpp"

namespace signaal::inbox {

/// The staff key, or an error sentence; warns on ctx.err about a v1 file and
/// about a file others may read.
[[nodiscard]] result<key_files::staff_key>
open_staff_key(const std::filesystem::path& file, const passphrase_source& source, context& ctx);

/// What it costs to keep a key file unlocked (keygen --no-passphrase, v1 readers).
[[nodiscard]] std::string unlocked_file_cost(std::string_view staff);

} // namespace signaal::inbox
