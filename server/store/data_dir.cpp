#include "server/store/data_dir.hpp"

#include "server/store/database.hpp"
#include "server/store/migrations.hpp"

#include <stdexcept>

namespace signaal::store {

void prepare_data_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        std::filesystem::create_directories(dir, ec);
        if (ec) {
            throw std::runtime_error("cannot create data dir " + dir.string() + ": " +
                                     ec.message());
        }
    }
    // 0700 also for a directory made by someone else: only the server's user looks inside.
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    if (ec) {
        throw std::runtime_error("cannot make data dir " + dir.string() +
                                 " private: " + ec.message());
    }
}

std::filesystem::path database_file(const std::filesystem::path& data_dir) {
    return data_dir / "signaal.db";
}

std::filesystem::path migrated_database(const std::filesystem::path& data_dir,
                                        const std::function<void(const migration&)>& applied) {
    const auto path = database_file(data_dir);
    auto db = database::open(path, open_mode::read_write_create);
    if (!db) {
        throw std::runtime_error("cannot open database " + path.string() + ": " +
                                 db.error().message);
    }
    auto version = migrate(*db, applied);
    if (!version) {
        throw std::runtime_error(path.string() + ": " + version.error().message);
    }
    return path;
}

} // namespace signaal::store
