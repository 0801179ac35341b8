#include "server/store/statement.hpp"

#include "server/store/database.hpp"

#include <sqlite3.h>

#include <limits>
#include <utility>

namespace signaal::store {

namespace {

// A non-null pointer for zero-length binds: SQLite binds NULL for a null pointer.
constexpr char empty_text[] = "";
constexpr std::uint8_t empty_blob[1] = {0};

} // namespace

result<statement> statement::prepare(database& db, std::string_view sql) {
    if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        return error{"SQL text too long"};
    }
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(raw);
        return error{"cannot prepare statement: " + db.last_error()};
    }
    if (raw == nullptr) {
        return error{"cannot prepare statement: empty SQL"};
    }
    return statement(raw);
}

statement::statement(statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bind_error_(other.bind_error_),
      last_code_(other.last_code_) {}

statement& statement::operator=(statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        stmt_ = std::exchange(other.stmt_, nullptr);
        bind_error_ = other.bind_error_;
        last_code_ = other.last_code_;
    }
    return *this;
}

statement::~statement() {
    sqlite3_finalize(stmt_);
}

void statement::bind(int index, std::int64_t value) {
    const int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK && bind_error_ == 0) {
        bind_error_ = rc;
    }
}

void statement::bind(int index, std::string_view text) {
    const char* data = text.empty() ? empty_text : text.data();
    const int rc =
        sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK && bind_error_ == 0) {
        bind_error_ = rc;
    }
}

void statement::bind(int index, std::span<const std::uint8_t> blob) {
    const void* data = blob.empty() ? static_cast<const void*>(empty_blob) : blob.data();
    const int rc = sqlite3_bind_blob64(stmt_, index, data, blob.size(), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK && bind_error_ == 0) {
        bind_error_ = rc;
    }
}

void statement::bind_null(int index) {
    const int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK && bind_error_ == 0) {
        bind_error_ = rc;
    }
}

void statement::bind_blob_or_null(int index, std::span<const std::uint8_t> blob) {
    if (blob.empty()) {
        bind_null(index);
    } else {
        bind(index, blob);
    }
}

result<bool> statement::step() {
    if (bind_error_ != 0) {
        last_code_ = bind_error_;
        return error{std::string("cannot bind a parameter: ") + sqlite3_errstr(bind_error_)};
    }
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    last_code_ = sqlite3_extended_errcode(sqlite3_db_handle(stmt_));
    return error{sqlite3_errmsg(sqlite3_db_handle(stmt_))};
}

status statement::run() {
    for (;;) {
        auto row = step();
        if (!row) {
            sqlite3_reset(stmt_);
            return error{row.error().message};
        }
        if (!*row) {
            break;
        }
    }
    sqlite3_reset(stmt_);
    return {};
}

bool statement::column_is_null(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::int64_t statement::column_int64(int col) const {
    return sqlite3_column_int64(stmt_, col);
}

std::string statement::column_text(int col) const {
    const auto* text = sqlite3_column_text(stmt_, col);
    const int size = sqlite3_column_bytes(stmt_, col); // after the text call, per SQLite docs
    if (text == nullptr) {
        return {};
    }
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::vector<std::uint8_t> statement::column_blob(int col) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
    const int size = sqlite3_column_bytes(stmt_, col);
    if (data == nullptr || size <= 0) {
        return {};
    }
    return std::vector<std::uint8_t>(data, data + size);
}

void statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bind_error_ = 0;
}

} // namespace signaal::store
