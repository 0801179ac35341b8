#include "server/store/database.hpp"

#include "server/store/statement.hpp"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace signaal::store {

namespace {

constexpr int busy_timeout_ms = 5000;

// Only the server's user may read what the database holds. SQLite creates the
// -wal and -shm files with the mode of the database file, so the database file
// is made (or set) 0600 before SQLite opens it, whatever the umask; a -wal or
// -shm left by an older version is set too. By path only: closing a descriptor
// of a file that SQLite has open in this process would drop SQLite's locks.
status owner_only(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd); // new, so no connection of ours has it open
    } else if (errno != EEXIST) {
        return fail("cannot create database " + path.string() + ": " + std::strerror(errno));
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
        const auto file = path.string() + suffix;
        if (::chmod(file.c_str(), 0600) != 0 && errno != ENOENT) {
            return fail("cannot make " + file + " private: " + std::strerror(errno));
        }
    }
    return {};
}

} // namespace

result<database> database::open(const std::filesystem::path& path, open_mode mode) {
    const int flags = (mode == open_mode::read_only) ? SQLITE_OPEN_READONLY
                                                     : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (mode == open_mode::read_write_create) {
        if (auto s = owner_only(path); !s) {
            return s.error();
        }
    }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    database db(raw); // owns raw even when the open failed
    if (rc != SQLITE_OK) {
        std::string message = "cannot open database " + path.string() + ": ";
        message += raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
        return error{std::move(message)};
    }
    sqlite3_extended_result_codes(raw, 1);
    if (sqlite3_busy_timeout(raw, busy_timeout_ms) != SQLITE_OK) {
        return error{"cannot set busy_timeout: " + db.last_error()};
    }

    // The journal mode answers with the mode in force; insist on WAL for writers.
    {
        auto journal = statement::prepare(
            db, mode == open_mode::read_only ? "PRAGMA journal_mode" : "PRAGMA journal_mode=WAL");
        if (!journal) {
            return error{journal.error().message};
        }
        auto row = journal->step();
        if (!row || !*row) {
            return error{"cannot set journal_mode: " + db.last_error()};
        }
        if (mode != open_mode::read_only && journal->column_text(0) != "wal") {
            return error{"database " + path.string() + " cannot use WAL journal mode"};
        }
    }
    if (auto s = db.exec("PRAGMA synchronous=FULL;"
                         "PRAGMA foreign_keys=ON;"
                         "PRAGMA secure_delete=ON;");
        !s) {
        return error{"cannot configure database: " + s.error().message};
    }
    return db;
}

database::database(database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

database& database::operator=(database&& other) noexcept {
    if (this != &other) {
        close();
        db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
}

database::~database() {
    close();
}

void database::close() {
    if (db_ != nullptr) {
        // _v2: statements still alive are finalized later without leaking the handle.
        sqlite3_close_v2(db_);
        db_ = nullptr;
    }
}

status database::exec(const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        return error{std::move(text)};
    }
    return {};
}

std::string database::last_error() const {
    return db_ ? sqlite3_errmsg(db_) : "database is closed";
}

std::int64_t database::changes() const {
    return sqlite3_changes64(db_);
}

std::int64_t database::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(db_);
}

bool database::autocommit() const {
    return sqlite3_get_autocommit(db_) != 0;
}

result<std::int64_t> database::user_version() {
    auto stmt = statement::prepare(*this, "PRAGMA user_version");
    if (!stmt) {
        return error{stmt.error().message};
    }
    auto row = stmt->step();
    if (!row) {
        return error{row.error().message};
    }
    if (!*row) {
        return error{"PRAGMA user_version returned no row"};
    }
    return stmt->column_int64(0);
}

} // namespace signaal::store
