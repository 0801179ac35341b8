#pragma once
// RAII over one sqlite3 connection, configured the same way every time.
#include "server/common/result.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

struct sqlite3;

namespace signaal::store {

enum class open_mode { read_write_create, read_only };

class database {
  public:
    /// Opens `path` and sets journal_mode=WAL (read_write_create only: a read-only
    /// connection uses what the file has), synchronous=FULL (a commit is durable
    /// when it returns), foreign_keys=ON, busy_timeout=5000 ms, secure_delete=ON.
    [[nodiscard]] static result<database> open(const std::filesystem::path& path, open_mode mode);

    database(database&& other) noexcept;
    database& operator=(database&& other) noexcept;
    database(const database&) = delete;
    database& operator=(const database&) = delete;
    ~database();

    /// Runs constant SQL (one or more statements, no parameters). Never pass text
    /// that came from input: that goes through statement binds.
    [[nodiscard]] status exec(const char* sql);

    /// The connection's last error, as SQLite words it.
    [[nodiscard]] std::string last_error() const;
    /// Rows changed by the last INSERT/UPDATE/DELETE on this connection.
    [[nodiscard]] std::int64_t changes() const;
    /// The rowid of the last successful INSERT on this connection.
    [[nodiscard]] std::int64_t last_insert_rowid() const;
    /// True outside an explicit transaction (also after SQLite rolled one back on its own).
    [[nodiscard]] bool autocommit() const;
    /// PRAGMA user_version.
    [[nodiscard]] result<std::int64_t> user_version();

    [[nodiscard]] sqlite3* handle() const { return db_; }

  private:
    explicit database(sqlite3* db) : db_(db) {}
    void close();

    sqlite3* db_ = nullptr;
};

} // namespace signaal::store
