#include "server/store/desk_registry.hpp"

#include "server/config/settings.hpp"
#include "server/store/staff_records.hpp"
#include "server/store/statement.hpp"

#include <sqlite3.h>

#include <algorithm>

namespace signaal::store {
namespace {

constexpr std::size_t key_id_size = 8;
constexpr std::size_t public_key_size = 32;
constexpr std::size_t wrapped_size = 80;
constexpr std::size_t signature_size = 64;

bool valid_desk_id(std::string_view id) {
    return config::valid_id(id) && id != "reporter";
}

template <class T> error read_failure(std::string_view what, const result<T>& r) {
    return error{"cannot read " + std::string(what) + ": " + r.error().message};
}

/// The text column 0 of every row.
result<std::vector<std::string>> texts(statement& stmt) {
    std::vector<std::string> out;
    for (;;) {
        auto row = stmt.step();
        if (!row) {
            return error{row.error().message};
        }
        if (!*row) {
            return out;
        }
        out.push_back(stmt.column_text(0));
    }
}

bool contains(const std::vector<std::string>& sorted, std::string_view id) {
    return std::binary_search(sorted.begin(), sorted.end(), id, std::less<>());
}

desk_key key_from_row(const statement& stmt) {
    desk_key k;
    k.desk = stmt.column_text(0);
    k.key_id = stmt.column_blob(1);
    k.public_key = stmt.column_blob(2);
    k.added_day = stmt.column_text(3);
    if (!stmt.column_is_null(4)) {
        k.accept_until = stmt.column_int64(4);
    }
    return k;
}

} // namespace

status desk_registry::register_desk(std::string_view desk,
                                    const std::vector<std::string>& holders) {
    if (!valid_desk_id(desk)) {
        return error{"desk id must match [a-z0-9_-]{1,32} and not be \"reporter\""};
    }
    for (const auto& holder : holders) {
        if (!config::valid_id(holder)) {
            return error{"staff id \"" + holder + "\" must match [a-z0-9_-]{1,32}"};
        }
    }
    auto add_desk = statement::prepare(db_, "INSERT INTO desks (id) VALUES (?1) "
                                            "ON CONFLICT (id) DO NOTHING");
    if (!add_desk) {
        return error{add_desk.error().message};
    }
    add_desk->bind(1, desk);
    if (auto s = add_desk->run(); !s) {
        return error{"cannot register desk: " + s.error().message};
    }
    auto add_holder = statement::prepare(db_, "INSERT INTO desk_named_holders (desk, staff) "
                                              "VALUES (?1, ?2) ON CONFLICT DO NOTHING");
    if (!add_holder) {
        return error{add_holder.error().message};
    }
    for (const auto& holder : holders) {
        add_holder->bind(1, desk);
        add_holder->bind(2, holder);
        if (auto s = add_holder->run(); !s) {
            return error{"cannot name a holder: " + s.error().message};
        }
        add_holder->reset();
    }
    return {};
}

result<std::vector<registered_desk>> desk_registry::list() {
    auto stmt = statement::prepare(db_, "SELECT d.id, h.staff FROM desks d "
                                        "LEFT JOIN desk_named_holders h ON h.desk = d.id "
                                        "ORDER BY d.id, h.staff");
    if (!stmt) {
        return error{stmt.error().message};
    }
    std::vector<registered_desk> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            return read_failure("the desks", row);
        }
        if (!*row) {
            return out;
        }
        auto desk = stmt->column_text(0);
        if (out.empty() || out.back().desk != desk) {
            out.push_back({std::move(desk), {}});
        }
        if (!stmt->column_is_null(1)) {
            out.back().named_holders.push_back(stmt->column_text(1));
        }
    }
}

result<std::vector<std::string>> desk_registry::caseworkers(std::string_view desk) {
    return staff_records(db_).caseworkers_of(desk);
}

result<std::optional<std::vector<std::uint8_t>>>
desk_registry::active_sign_key(std::string_view staff) {
    auto record = staff_records(db_).get(staff);
    if (!record) {
        return error{record.error().message};
    }
    if (!*record || (*record)->disabled) {
        return std::optional<std::vector<std::uint8_t>>();
    }
    return std::optional<std::vector<std::uint8_t>>((*record)->sign_pk);
}

result<desk_state> desk_registry::state(std::string_view desk) {
    desk_state s;
    s.desk = std::string(desk);

    auto registered = statement::prepare(db_, "SELECT 1 FROM desks WHERE id = ?1");
    if (!registered) {
        return error{registered.error().message};
    }
    registered->bind(1, desk);
    auto row = registered->step();
    if (!row) {
        return read_failure("the desks", row);
    }
    s.registered = *row;

    auto workers = caseworkers(desk);
    if (!workers) {
        return error{workers.error().message};
    }
    s.caseworkers = std::move(*workers);

    auto named = statement::prepare(
        db_, "SELECT staff FROM desk_named_holders WHERE desk = ?1 ORDER BY staff");
    if (!named) {
        return error{named.error().message};
    }
    named->bind(1, desk);
    auto named_ids = texts(*named);
    if (!named_ids) {
        return read_failure("the named holders", named_ids);
    }
    s.named_holders = std::move(*named_ids);

    auto current = statement::prepare(db_, "SELECT desk, key_id, public_key, added_day, "
                                           "accept_until FROM desk_keys "
                                           "WHERE desk = ?1 AND accept_until IS NULL");
    if (!current) {
        return error{current.error().message};
    }
    current->bind(1, desk);
    auto current_row = current->step();
    if (!current_row) {
        return read_failure("the desk keys", current_row);
    }
    if (*current_row) {
        s.current = key_from_row(*current);
        auto grantees = statement::prepare(
            db_, "SELECT to_staff FROM desk_key_grants WHERE key_id = ?1 ORDER BY to_staff");
        if (!grantees) {
            return error{grantees.error().message};
        }
        grantees->bind(1, s.current->key_id);
        auto ids = texts(*grantees);
        if (!ids) {
            return read_failure("the grants", ids);
        }
        for (auto& id : *ids) {
            if (contains(s.caseworkers, id)) {
                s.holders.push_back(std::move(id));
            } else {
                s.rotate = true; // disabled, or no longer a caseworker of the desk
            }
        }
    }
    s.held = !s.holders.empty();
    if (!s.held) {
        for (const auto& id : s.named_holders) {
            if (contains(s.caseworkers, id)) {
                s.holders.push_back(id);
            }
        }
    }
    return s;
}

result<std::optional<desk_key>> desk_registry::key(std::span<const std::uint8_t> key_id) {
    auto stmt = statement::prepare(db_, "SELECT desk, key_id, public_key, added_day, "
                                        "accept_until FROM desk_keys WHERE key_id = ?1");
    if (!stmt) {
        return error{stmt.error().message};
    }
    stmt->bind(1, key_id);
    auto row = stmt->step();
    if (!row) {
        return read_failure("the desk keys", row);
    }
    if (!*row) {
        return std::optional<desk_key>();
    }
    return std::optional<desk_key>(key_from_row(*stmt));
}

result<bool> desk_registry::has_grant(std::span<const std::uint8_t> key_id,
                                      std::string_view staff) {
    auto stmt = statement::prepare(
        db_, "SELECT 1 FROM desk_key_grants WHERE key_id = ?1 AND to_staff = ?2");
    if (!stmt) {
        return error{stmt.error().message};
    }
    stmt->bind(1, key_id);
    stmt->bind(2, staff);
    auto row = stmt->step();
    if (!row) {
        return read_failure("the grants", row);
    }
    return *row;
}

status desk_registry::add_key(std::string_view desk, std::span<const std::uint8_t> key_id,
                              std::span<const std::uint8_t> public_key, std::string_view day,
                              std::int64_t accept_old_until) {
    if (!valid_desk_id(desk)) {
        return error{"desk id must match [a-z0-9_-]{1,32} and not be \"reporter\""};
    }
    if (key_id.size() != key_id_size || public_key.size() != public_key_size) {
        return error{"a desk key is 32 bytes, its id 8"};
    }
    auto retire = statement::prepare(db_, "UPDATE desk_keys SET accept_until = ?2 "
                                          "WHERE desk = ?1 AND accept_until IS NULL");
    if (!retire) {
        return error{retire.error().message};
    }
    retire->bind(1, desk);
    retire->bind(2, accept_old_until);
    if (auto s = retire->run(); !s) {
        return error{"cannot retire the current desk key: " + s.error().message};
    }
    auto insert = statement::prepare(db_, "INSERT INTO desk_keys (key_id, desk, public_key, "
                                          "added_day, accept_until) VALUES (?1, ?2, ?3, ?4, NULL)");
    if (!insert) {
        return error{insert.error().message};
    }
    insert->bind(1, key_id);
    insert->bind(2, desk);
    insert->bind(3, public_key);
    insert->bind(4, day);
    if (auto s = insert->run(); !s) {
        const int code = insert->last_error_code();
        if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE) {
            return error{"this desk key is already known"};
        }
        return error{"cannot add the desk key: " + s.error().message};
    }
    return {};
}

status desk_registry::add_grant(const key_grant& grant) {
    if (!valid_desk_id(grant.desk) || !config::valid_id(grant.to) || !config::valid_id(grant.by)) {
        return error{"a grant names a desk and two staff ids of [a-z0-9_-]{1,32}"};
    }
    if (grant.key_id.size() != key_id_size || grant.wrapped.size() != wrapped_size ||
        grant.signature.size() != signature_size) {
        return error{"a grant holds an 8-byte key id, 80 wrapped bytes and a 64-byte signature"};
    }
    auto found = key(grant.key_id);
    if (!found) {
        return error{found.error().message};
    }
    if (!*found || (*found)->desk != grant.desk) {
        return error{"the granted key is not a key of desk " + grant.desk};
    }
    auto stmt = statement::prepare(
        db_, "INSERT INTO desk_key_grants (key_id, to_staff, wrapped, by_staff, signature) "
             "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (key_id, to_staff) DO UPDATE SET "
             "wrapped = excluded.wrapped, by_staff = excluded.by_staff, "
             "signature = excluded.signature");
    if (!stmt) {
        return error{stmt.error().message};
    }
    stmt->bind(1, grant.key_id);
    stmt->bind(2, grant.to);
    stmt->bind(3, grant.wrapped);
    stmt->bind(4, grant.by);
    stmt->bind(5, grant.signature);
    if (auto s = stmt->run(); !s) {
        return error{"cannot store the grant: " + s.error().message};
    }
    return {};
}

result<std::vector<granted_key>>
desk_registry::keys_granted_to(std::string_view staff, const std::vector<std::string>& desks) {
    auto stmt = statement::prepare(
        db_, "SELECT k.desk, k.key_id, k.public_key, g.wrapped, g.by_staff, g.signature "
             "FROM desk_key_grants g JOIN desk_keys k ON k.key_id = g.key_id "
             "WHERE g.to_staff = ?1 ORDER BY k.desk, k.rowid");
    if (!stmt) {
        return error{stmt.error().message};
    }
    stmt->bind(1, staff);
    std::vector<granted_key> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            return read_failure("the grants", row);
        }
        if (!*row) {
            return out;
        }
        auto desk = stmt->column_text(0);
        if (std::find(desks.begin(), desks.end(), desk) == desks.end()) {
            continue; // a desk the person has left: its keys are no longer theirs to read
        }
        granted_key k;
        k.grant.desk = std::move(desk);
        k.grant.key_id = stmt->column_blob(1);
        k.public_key = stmt->column_blob(2);
        k.grant.to = std::string(staff);
        k.grant.wrapped = stmt->column_blob(3);
        k.grant.by = stmt->column_text(4);
        k.grant.signature = stmt->column_blob(5);
        out.push_back(std::move(k));
    }
}

} // namespace signaal::store
