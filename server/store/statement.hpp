#pragma once
// RAII over one prepared statement. Every value from input reaches SQLite
// through a bind, never through the SQL text.
#include "server/common/result.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3_stmt;

namespace signaal::store {

class database;

class statement {
  public:
    /// Prepares one statement of constant SQL on `db`; the connection must outlive
    /// the statement (moving the database object is fine).
    [[nodiscard]] static result<statement> prepare(database& db, std::string_view sql);

    statement(statement&& other) noexcept;
    statement& operator=(statement&& other) noexcept;
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    ~statement();

    // Parameters are 1-based. A bind that fails is remembered and reported by
    // the next step(), so a chain of binds needs one check.
    void bind(int index, std::int64_t value);
    void bind(int index, std::string_view text);              // "" binds an empty text, not NULL
    void bind(int index, std::span<const std::uint8_t> blob); // empty binds an empty blob, not NULL
    void bind_null(int index);
    /// An empty vector binds NULL (optional blobs such as ciphertext or reply keys).
    void bind_blob_or_null(int index, std::span<const std::uint8_t> blob);

    /// true: a row is ready; false: done. An error leaves the statement needing reset().
    [[nodiscard]] result<bool> step();
    /// Steps to completion, ignoring rows, then resets (bindings stay until clear).
    [[nodiscard]] status run();

    /// The SQLite extended result code of the last failed step (0 if none).
    [[nodiscard]] int last_error_code() const { return last_code_; }

    // Columns are 0-based and valid after step() returned true.
    [[nodiscard]] bool column_is_null(int col) const;
    [[nodiscard]] std::int64_t column_int64(int col) const;
    [[nodiscard]] std::string column_text(int col) const;
    [[nodiscard]] std::vector<std::uint8_t> column_blob(int col) const;

    /// Ready to run again, with all bindings cleared.
    void reset();

  private:
    explicit statement(sqlite3_stmt* stmt) : stmt_(stmt) {}

    sqlite3_stmt* stmt_ = nullptr;
    int bind_error_ = 0; // first failed bind since the last reset
    int last_code_ = 0;
};

} // namespace signaal::store
