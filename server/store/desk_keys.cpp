#include "server/store/desk_keys.hpp"

#include "server/config/settings.hpp"

#include "server/store/statement.hpp"
#include "server/store/transaction.hpp"

#include <sqlite3.h>

#include <string>

namespace signaal::store {

namespace {

constexpr std::size_t key_id_size = 8;
constexpr std::size_t public_key_size = 32;

// The protocol's id rule (config::valid_id); "reporter" is never a desk.
bool valid_desk_id(std::string_view id) {
    return config::valid_id(id) && id != "reporter";
}

bool valid_day(std::string_view day) {
    if (day.size() != 10 || day[4] != '-' || day[7] != '-') {
        return false;
    }
    for (std::size_t i = 0; i < day.size(); ++i) {
        if (i != 4 && i != 7 && (day[i] < '0' || day[i] > '9')) {
            return false;
        }
    }
    return true;
}

status check_key(std::string_view desk, std::span<const std::uint8_t> key_id,
                 std::span<const std::uint8_t> public_key, std::string_view day) {
    if (!valid_desk_id(desk)) {
        return error{"desk id must match [a-z0-9_-]{1,32} and not be \"reporter\""};
    }
    if (key_id.size() != key_id_size) {
        return error{"key id must be 8 bytes"};
    }
    if (public_key.size() != public_key_size) {
        return error{"public key must be 32 bytes"};
    }
    if (!valid_day(day)) {
        return error{"day must be YYYY-MM-DD"};
    }
    return {};
}

result<bool> has_current_key(database& db, std::string_view desk) {
    auto stmt =
        statement::prepare(db, "SELECT 1 FROM desk_keys WHERE desk = ?1 AND accept_until IS NULL");
    if (!stmt) {
        return error{stmt.error().message};
    }
    stmt->bind(1, desk);
    auto row = stmt->step();
    if (!row) {
        return error{row.error().message};
    }
    return *row;
}

status insert_current(database& db, std::string_view desk, std::span<const std::uint8_t> key_id,
                      std::span<const std::uint8_t> public_key, std::string_view day) {
    auto stmt = statement::prepare(db, "INSERT INTO desk_keys (key_id, desk, public_key, "
                                       "added_day, accept_until) VALUES (?1, ?2, ?3, ?4, NULL)");
    if (!stmt) {
        return error{stmt.error().message};
    }
    stmt->bind(1, key_id);
    stmt->bind(2, desk);
    stmt->bind(3, public_key);
    stmt->bind(4, day);
    if (auto s = stmt->run(); !s) {
        switch (stmt->last_error_code()) {
        case SQLITE_CONSTRAINT_PRIMARYKEY:
            return error{"key id is already known"};
        case SQLITE_CONSTRAINT_UNIQUE:
            return error{"public key is already known or the desk already has a current key"};
        default:
            return error{"cannot add desk key: " + s.error().message};
        }
    }
    return {};
}

result<std::vector<desk_key>> select_keys(database& db, const char* sql,
                                          std::optional<std::int64_t> now) {
    auto stmt = statement::prepare(db, sql);
    if (!stmt) {
        return error{stmt.error().message};
    }
    if (now) {
        stmt->bind(1, *now);
    }
    std::vector<desk_key> keys;
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            return error{"cannot read desk keys: " + row.error().message};
        }
        if (!*row) {
            break;
        }
        desk_key k;
        k.desk = stmt->column_text(0);
        k.key_id = stmt->column_blob(1);
        k.public_key = stmt->column_blob(2);
        k.added_day = stmt->column_text(3);
        if (!stmt->column_is_null(4)) {
            k.accept_until = stmt->column_int64(4);
        }
        keys.push_back(std::move(k));
    }
    return keys;
}

} // namespace

status desk_keys::add_current(std::string_view desk, std::span<const std::uint8_t> key_id,
                              std::span<const std::uint8_t> public_key, std::string_view day) {
    if (auto s = check_key(desk, key_id, public_key, day); !s) {
        return s;
    }
    auto tx = transaction::begin(db_, transaction::kind::immediate);
    if (!tx) {
        return error{tx.error().message};
    }
    auto current = has_current_key(db_, desk);
    if (!current) {
        return error{current.error().message};
    }
    if (*current) {
        return error{"desk " + std::string(desk) + " already has a current key; rotate it instead"};
    }
    if (auto s = insert_current(db_, desk, key_id, public_key, day); !s) {
        return s;
    }
    return tx->commit();
}

status desk_keys::rotate(std::string_view desk, std::span<const std::uint8_t> key_id,
                         std::span<const std::uint8_t> public_key, std::string_view day,
                         std::int64_t accept_old_until_unix) {
    if (auto s = check_key(desk, key_id, public_key, day); !s) {
        return s;
    }
    auto tx = transaction::begin(db_, transaction::kind::immediate);
    if (!tx) {
        return error{tx.error().message};
    }
    auto retire = statement::prepare(db_, "UPDATE desk_keys SET accept_until = ?2 "
                                          "WHERE desk = ?1 AND accept_until IS NULL");
    if (!retire) {
        return error{retire.error().message};
    }
    retire->bind(1, desk);
    retire->bind(2, accept_old_until_unix);
    if (auto s = retire->run(); !s) {
        return error{"cannot rotate desk key: " + s.error().message};
    }
    if (db_.changes() != 1) {
        return error{"desk " + std::string(desk) + " has no current key to rotate"};
    }
    if (auto s = insert_current(db_, desk, key_id, public_key, day); !s) {
        return s; // the transaction rolls back: the old key stays current
    }
    return tx->commit();
}

result<std::vector<desk_key>> desk_keys::list() {
    return select_keys(db_,
                       "SELECT desk, key_id, public_key, added_day, accept_until "
                       "FROM desk_keys ORDER BY desk, rowid",
                       std::nullopt);
}

result<std::vector<desk_key>> desk_keys::accepted(std::int64_t now_unix) {
    return select_keys(db_,
                       "SELECT desk, key_id, public_key, added_day, accept_until "
                       "FROM desk_keys WHERE accept_until IS NULL OR accept_until > ?1 "
                       "ORDER BY desk, rowid",
                       now_unix);
}

} // namespace signaal::store
