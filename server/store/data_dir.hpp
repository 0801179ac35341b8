#pragma once
// Where an instance keeps its database, shared by the server and signaal-admin.
// These run at start-up or in a command line: they throw std::runtime_error
// with a plain message.
#include "server/store/migrations.hpp"

#include <filesystem>
#include <functional>

namespace signaal::store {

/// The data directory, created when absent and set to mode 0700 either way.
void prepare_data_dir(const std::filesystem::path& dir);

/// data_dir/signaal.db: where the instance keeps everything.
[[nodiscard]] std::filesystem::path database_file(const std::filesystem::path& data_dir);

/// The database file in the data dir, migrated to this binary's schema; a newer one is refused.
/// `applied` is told each migration applied now (migrations.hpp).
[[nodiscard]] std::filesystem::path
migrated_database(const std::filesystem::path& data_dir,
                  const std::function<void(const migration&)>& applied = {});

} // namespace signaal::store
