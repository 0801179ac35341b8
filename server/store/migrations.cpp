#include "server/store/migrations.hpp"

#include <string>

namespace signaal::store {

namespace {

std::string newer_than_binary(std::int64_t found) {
    return "database schema " + std::to_string(found) + " is newer than this binary (schema " +
           std::to_string(latest_schema_version()) + "); upgrade signaal";
}

// One migration and its user_version, all or nothing. The version is re-read
// inside the write transaction so two processes starting at once do not both apply it.
status apply(database& db, const migration& m) {
    if (auto s = db.exec("BEGIN IMMEDIATE"); !s) {
        return error{"cannot start migration " + std::to_string(m.version) + ": " +
                     s.error().message};
    }
    auto fail = [&](const std::string& why) -> status {
        if (!db.autocommit()) {
            (void)db.exec("ROLLBACK");
        }
        return error{"migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                     ") failed: " + why};
    };
    auto current = db.user_version();
    if (!current) {
        return fail(current.error().message);
    }
    if (*current >= m.version) {
        (void)db.exec("ROLLBACK"); // another process applied it meanwhile
        return {};
    }
    if (*current != m.version - 1) {
        return fail("database is at schema " + std::to_string(*current));
    }
    const std::string sql(m.sql);
    if (auto s = db.exec(sql.c_str()); !s) {
        return fail(s.error().message);
    }
    // The version is a number compiled into this binary, not input.
    const std::string set_version = "PRAGMA user_version=" + std::to_string(m.version);
    if (auto s = db.exec(set_version.c_str()); !s) {
        return fail(s.error().message);
    }
    if (auto s = db.exec("COMMIT"); !s) {
        return fail(s.error().message);
    }
    return {};
}

} // namespace

std::int64_t latest_schema_version() {
    const auto all = embedded_migrations();
    return all.empty() ? 0 : all.back().version;
}

result<std::int64_t> migrate(database& db, const std::function<void(const migration&)>& applied) {
    auto current = db.user_version();
    if (!current) {
        return error{"cannot read the schema version: " + current.error().message};
    }
    if (*current > latest_schema_version()) {
        return error{newer_than_binary(*current)};
    }
    for (const migration& m : embedded_migrations()) {
        if (m.version <= *current) {
            continue;
        }
        if (auto s = apply(db, m); !s) {
            return error{s.error().message};
        }
        if (applied) {
            applied(m);
        }
    }
    auto after = db.user_version();
    if (!after) {
        return error{"cannot read the schema version: " + after.error().message};
    }
    if (*after > latest_schema_version()) {
        return error{newer_than_binary(*after)}; // upgraded by a newer binary meanwhile
    }
    return *after;
}

} // namespace signaal::store
