#include "server/store/backup.hpp"

#include "server/store/database.hpp"
#include "server/store/migrations.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

namespace signaal::store {
namespace {

// Tables every Signaal schema has had since version 2; a file without them is not ours.
constexpr std::array signaal_tables = {"reports", "envelopes", "report_desks",
                                       "events",  "spent_pow", "desk_keys"};

/// A connection opened by hand, for the files that database::open must not
/// configure (it would switch them to WAL): closed on every path.
class raw_connection {
  public:
    raw_connection() = default;
    raw_connection(const raw_connection&) = delete;
    raw_connection& operator=(const raw_connection&) = delete;
    ~raw_connection() { sqlite3_close_v2(db_); }
    sqlite3** out() { return &db_; }
    [[nodiscard]] sqlite3* get() const { return db_; }
    [[nodiscard]] std::string error() const { return db_ ? sqlite3_errmsg(db_) : "out of memory"; }

  private:
    sqlite3* db_ = nullptr;
};

/// "file:PATH?mode=ro&immutable=1": reads the file as it is, creating nothing
/// beside it (no -shm, no -wal), and never writes to it.
std::string immutable_uri(const std::filesystem::path& file) {
    std::string uri = "file:";
    for (const char c : std::filesystem::absolute(file).string()) {
        if (c == '?' || c == '#' || c == '%') {
            constexpr char hex[] = "0123456789ABCDEF";
            uri += '%';
            uri += hex[static_cast<unsigned char>(c) >> 4];
            uri += hex[static_cast<unsigned char>(c) & 0xf];
        } else {
            uri += c;
        }
    }
    return uri + "?mode=ro&immutable=1";
}

result<std::int64_t> single_integer(sqlite3* db, const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
        return fail(sqlite3_errmsg(db));
    }
    const int rc = sqlite3_step(stmt);
    const std::int64_t value = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    std::string message = rc == SQLITE_ROW ? "" : sqlite3_errmsg(db);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW) {
        return fail(std::move(message));
    }
    return value;
}

/// The first line of PRAGMA integrity_check: "ok" for an intact file.
result<std::string> integrity(sqlite3* db) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) != SQLITE_OK) {
        return fail(sqlite3_errmsg(db));
    }
    const int rc = sqlite3_step(stmt);
    std::string first;
    if (rc == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(stmt, 0);
        first = text ? reinterpret_cast<const char*>(text) : "";
    } else {
        first = sqlite3_errmsg(db);
    }
    sqlite3_finalize(stmt);
    return result<std::string>(boost::system::in_place_value, std::move(first));
}

/// What the connection's main database holds, or why it is not a Signaal database.
result<backup_info> describe(sqlite3* db, const std::filesystem::path& file) {
    const std::string name = file.string();
    const auto version = single_integer(db, "PRAGMA user_version");
    if (!version) {
        return fail(name + " is not a Signaal database (" + version.error().message + ")");
    }
    for (const char* table : signaal_tables) {
        sqlite3_stmt* stmt = nullptr;
        bool found = false;
        if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                               -1, &stmt, nullptr) == SQLITE_OK) {
            sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
            found = sqlite3_step(stmt) == SQLITE_ROW;
        }
        sqlite3_finalize(stmt);
        if (!found || *version < 2) {
            return fail(name + " is not a Signaal database (it has no " + table + " table)");
        }
    }
    if (*version > latest_schema_version()) {
        return fail(name + " was made by a newer Signaal (schema " + std::to_string(*version) +
                    "; this program knows up to " + std::to_string(latest_schema_version()) +
                    "): upgrade Signaal first");
    }
    const auto check = integrity(db);
    if (!check || *check != "ok") {
        return fail(name + " is damaged: " + (check ? *check : check.error().message));
    }
    const auto reports = single_integer(db, "SELECT count(*) FROM reports");
    if (!reports) {
        return fail(name + ": " + reports.error().message);
    }
    return backup_info{*version, *reports};
}

status copy_all(sqlite3* from, sqlite3* into) {
    sqlite3_backup* backup = sqlite3_backup_init(into, "main", from, "main");
    if (backup == nullptr) {
        return fail(sqlite3_errmsg(into));
    }
    // One step for every page: the source's read transaction spans the whole copy,
    // so the copy is one consistent snapshot however busy the writer is.
    const int step = sqlite3_backup_step(backup, -1);
    const int finish = sqlite3_backup_finish(backup);
    if (step != SQLITE_DONE || finish != SQLITE_OK) {
        return fail(std::string(sqlite3_errstr(step != SQLITE_DONE ? step : finish)) + ": " +
                    sqlite3_errmsg(into));
    }
    return {};
}

status sync_file(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        const std::string why = std::strerror(errno);
        if (fd >= 0) {
            ::close(fd);
        }
        return fail("cannot flush " + file.string() + ": " + why);
    }
    ::close(fd);
    return {};
}

} // namespace

result<backup_info> write_backup(const std::filesystem::path& database_path,
                                 const std::filesystem::path& target) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(database_path, ec)) {
        return fail("there is no database at " + database_path.string());
    }
    // O_EXCL: an existing file is never overwritten; 0600 whatever the umask.
    const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return fail(errno == EEXIST
                        ? target.string() + " exists; a backup never overwrites a file"
                        : "cannot create " + target.string() + ": " + std::strerror(errno));
    }
    ::fchmod(fd, 0600);
    ::close(fd);
    auto written = [&]() -> result<backup_info> {
        auto source = database::open(database_path, open_mode::read_write_create);
        if (!source) {
            return fail("cannot open " + database_path.string() + ": " + source.error().message);
        }
        raw_connection copy;
        if (sqlite3_open_v2(target.c_str(), copy.out(), SQLITE_OPEN_READWRITE, nullptr) !=
            SQLITE_OK) {
            return fail("cannot open " + target.string() + ": " + copy.error());
        }
        if (auto copied = copy_all(source->handle(), copy.get()); !copied) {
            return fail("backup failed: " + copied.error().message);
        }
        // A single file: the copy keeps no WAL of its own.
        if (sqlite3_exec(copy.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) !=
            SQLITE_OK) {
            return fail("backup failed: " + copy.error());
        }
        auto info = describe(copy.get(), target);
        if (!info) {
            return fail("the backup does not check out: " + info.error().message);
        }
        return info;
    }();
    if (written) {
        if (auto synced = sync_file(target); !synced) {
            written = fail(synced.error().message);
        } else if (auto dir = sync_file(std::filesystem::absolute(target).parent_path()); !dir) {
            written = fail(dir.error().message);
        }
    }
    if (!written) {
        std::filesystem::remove(target, ec);
    }
    return written;
}

result<backup_info> inspect_backup(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        return fail(file.string() + " is not a file");
    }
    std::array<char, 16> header{};
    std::ifstream in(file, std::ios::binary);
    if (!in.read(header.data(), header.size()) ||
        std::memcmp(header.data(), "SQLite format 3", header.size()) != 0) {
        return fail(file.string() + " is not a Signaal database (not an SQLite file)");
    }
    raw_connection db;
    if (sqlite3_open_v2(immutable_uri(file).c_str(), db.out(),
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
        return fail("cannot read " + file.string() + ": " + db.error());
    }
    return describe(db.get(), file);
}

result<backup_info> restore_backup(const std::filesystem::path& backup,
                                   const std::filesystem::path& database_path) {
    auto checked = inspect_backup(backup);
    if (!checked) {
        return checked;
    }
    raw_connection source;
    if (sqlite3_open_v2(immutable_uri(backup).c_str(), source.out(),
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
        return fail("cannot read " + backup.string() + ": " + source.error());
    }
    auto target = database::open(database_path, open_mode::read_write_create);
    if (!target) {
        return fail("cannot open " + database_path.string() + ": " + target.error().message);
    }
    if (auto copied = copy_all(source.get(), target->handle()); !copied) {
        return fail("restore failed, the database is unchanged: " + copied.error().message);
    }
    auto version = migrate(*target);
    if (!version) {
        return fail("restored, but the migration failed: " + version.error().message);
    }
    // The replaced contents' pages must not linger in the WAL.
    if (auto truncated = target->exec("PRAGMA wal_checkpoint(TRUNCATE)"); !truncated) {
        return fail("restored, but the WAL was not truncated: " + truncated.error().message);
    }
    return backup_info{*version, checked->reports};
}

} // namespace signaal::store
