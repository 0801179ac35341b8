#include "server/store/staff_records.hpp"

#include "server/config/settings.hpp"
#include "server/store/day_number.hpp"
#include "server/store/savepoint.hpp"
#include "server/store/statement.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <map>

namespace signaal::store {
namespace {

constexpr std::size_t public_key_size = 32;

status check_record(const staff_record& r) {
    if (!config::valid_id(r.id)) {
        return fail("staff id must match [a-z0-9_-]{1,32}");
    }
    if (!valid_staff_role(r.role)) {
        return fail("role must be caseworker or coordinator");
    }
    if (r.sign_pk.size() != public_key_size) {
        return fail("sign_pk must be 32 bytes");
    }
    if (r.box_pk.size() != public_key_size) {
        return fail("box_pk must be 32 bytes");
    }
    if (!day_number(r.added_day)) {
        return fail("day must be YYYY-MM-DD");
    }
    if (r.role == "coordinator" && !r.desks.empty()) {
        return fail("a coordinator has no desks");
    }
    if (r.role == "caseworker" && r.desks.empty()) {
        return fail("a caseworker needs at least one desk");
    }
    for (const auto& d : r.desks) {
        if (!config::valid_id(d) || d == "reporter") {
            return fail("desk id must match [a-z0-9_-]{1,32} and not be \"reporter\"");
        }
    }
    auto sorted = r.desks;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
        return fail("a desk is named twice");
    }
    return {};
}

result<std::vector<std::string>> column_texts(statement& stmt) {
    std::vector<std::string> out;
    for (;;) {
        auto row = stmt.step();
        if (!row) {
            return fail("cannot read staff records: " + row.error().message);
        }
        if (!*row) {
            return out;
        }
        out.push_back(stmt.column_text(0));
    }
}

/// Reads records (id, role, sign_pk, box_pk, disabled, added_day) and fills in their desks.
result<std::vector<staff_record>> read_records(database& db, statement& stmt) {
    std::vector<staff_record> records;
    for (;;) {
        auto row = stmt.step();
        if (!row) {
            return fail("cannot read staff records: " + row.error().message);
        }
        if (!*row) {
            break;
        }
        staff_record r;
        r.id = stmt.column_text(0);
        r.role = stmt.column_text(1);
        r.sign_pk = stmt.column_blob(2);
        r.box_pk = stmt.column_blob(3);
        r.disabled = stmt.column_int64(4) != 0;
        r.added_day = day_text(stmt.column_int64(5));
        records.push_back(std::move(r));
    }
    auto desks = statement::prepare(db, "SELECT desk FROM staff_desks WHERE staff = ?1 "
                                        "ORDER BY desk");
    if (!desks) {
        return fail(desks.error().message);
    }
    for (auto& r : records) {
        desks->reset();
        desks->bind(1, r.id);
        auto list = column_texts(*desks);
        if (!list) {
            return list.error();
        }
        r.desks = std::move(*list);
    }
    return records;
}

} // namespace

bool valid_staff_role(std::string_view role) {
    return role == "caseworker" || role == "coordinator";
}

status staff_records::add(const staff_record& record) {
    if (auto s = check_record(record); !s) {
        return s;
    }
    auto sp = savepoint::begin(db_);
    if (!sp) {
        return sp.error();
    }
    auto insert = statement::prepare(db_, "INSERT INTO staff (id, role, sign_pk, box_pk, "
                                          "disabled, added_day) VALUES (?1, ?2, ?3, ?4, 0, ?5)");
    if (!insert) {
        return insert.error();
    }
    insert->bind(1, record.id);
    insert->bind(2, record.role);
    insert->bind(3, record.sign_pk);
    insert->bind(4, record.box_pk);
    insert->bind(5, *day_number(record.added_day));
    if (auto s = insert->run(); !s) {
        switch (insert->last_error_code()) {
        case SQLITE_CONSTRAINT_PRIMARYKEY:
            return fail("staff id " + record.id + " is already taken");
        case SQLITE_CONSTRAINT_UNIQUE:
            return fail("this signing key already belongs to another staff member");
        default:
            return fail("cannot add staff member: " + s.error().message);
        }
    }
    auto desk = statement::prepare(db_, "INSERT INTO staff_desks (staff, desk) VALUES (?1, ?2)");
    if (!desk) {
        return desk.error();
    }
    for (const auto& d : record.desks) {
        desk->bind(1, record.id);
        desk->bind(2, d);
        if (auto s = desk->run(); !s) {
            return fail("cannot add staff member: " + s.error().message);
        }
        desk->reset();
    }
    return sp->release();
}

result<std::optional<staff_record>> staff_records::get(std::string_view id) {
    auto stmt = statement::prepare(db_, "SELECT id, role, sign_pk, box_pk, disabled, added_day "
                                        "FROM staff WHERE id = ?1");
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind(1, id);
    auto records = read_records(db_, *stmt);
    if (!records) {
        return records.error();
    }
    if (records->empty()) {
        return std::optional<staff_record>();
    }
    return std::optional<staff_record>(std::move(records->front()));
}

result<std::vector<staff_record>> staff_records::list() {
    auto stmt = statement::prepare(db_, "SELECT id, role, sign_pk, box_pk, disabled, added_day "
                                        "FROM staff ORDER BY id");
    if (!stmt) {
        return stmt.error();
    }
    return read_records(db_, *stmt);
}

status staff_records::disable(std::string_view id) {
    auto stmt = statement::prepare(db_, "UPDATE staff SET disabled = 1 "
                                        "WHERE id = ?1 AND disabled = 0");
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind(1, id);
    if (auto s = stmt->run(); !s) {
        return fail("cannot disable staff member: " + s.error().message);
    }
    if (db_.changes() == 1) {
        return {};
    }
    auto existing = get(id);
    if (!existing) {
        return existing.error();
    }
    return fail(*existing ? "staff member " + std::string(id) + " is already disabled"
                          : "there is no staff member " + std::string(id));
}

result<std::vector<std::string>> staff_records::caseworkers_of(std::string_view desk) {
    auto stmt = statement::prepare(db_, "SELECT s.id FROM staff_desks d JOIN staff s "
                                        "ON s.id = d.staff WHERE d.desk = ?1 AND s.disabled = 0 "
                                        "AND s.role = 'caseworker' ORDER BY s.id");
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind(1, desk);
    return column_texts(*stmt);
}

result<std::vector<std::string>> staff_records::disabled_ids() {
    auto stmt = statement::prepare(db_, "SELECT id FROM staff WHERE disabled = 1 ORDER BY id");
    if (!stmt) {
        return stmt.error();
    }
    return column_texts(*stmt);
}

} // namespace signaal::store
