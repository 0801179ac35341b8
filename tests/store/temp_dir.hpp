#pragma once
// A fresh directory under the system temp dir, removed with everything in it.
#include "server/store/database.hpp"

#include <filesystem>

namespace signaal::store::test {

class temp_dir {
  public:
    temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir();

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::filesystem::path db_path() const { return path_ / "signaal.db"; }

  private:
    std::filesystem::path path_;
};

/// Opens (creating) the database and migrates it; fails the test on error.
database open_migrated(const std::filesystem::path& path);

} // namespace signaal::store::test
