#pragma once
// Helpers for running the real signaal-admin binary against files in a temp dir.
#include "server/json/json.hpp"
#include "server/store/records.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace signaal::admin::test {

/// A fresh folder under the temp dir, removed with everything in it.
class temp_dir {
  public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

struct run_result {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs signaal-admin with `args` (no shell), stdout and stderr captured.
[[nodiscard]] run_result run_admin(const std::vector<std::string>& args);

[[nodiscard]] std::string read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, const std::string& text);
/// Permission bits (st_mode & 0777).
[[nodiscard]] unsigned mode_of(const std::filesystem::path& file);
/// Names in a folder, sorted.
[[nodiscard]] std::vector<std::string> names_in(const std::filesystem::path& dir);
/// Every file under a folder with its contents: to prove nothing changed.
[[nodiscard]] std::vector<std::pair<std::string, std::string>>
snapshot(const std::filesystem::path& dir);
[[nodiscard]] json::value read_json(const std::filesystem::path& file);
/// Every desk key in data_dir/signaal.db (read-only), oldest first per desk.
[[nodiscard]] std::vector<store::desk_key> desk_keys_in(const std::filesystem::path& db);
[[nodiscard]] std::vector<store::desk_key> accepted_keys_in(const std::filesystem::path& db,
                                                            std::int64_t now);
/// A one-line error: "signaal-admin: ...\n" and nothing else.
[[nodiscard]] bool one_line_error(const std::string& err);
[[nodiscard]] std::int64_t now_unix();

} // namespace signaal::admin::test
