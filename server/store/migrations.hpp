#pragma once
// Schema migrations: the numbered files schema/NNN_name.sql, embedded into the
// library at build time and applied in order on start-up.
#include "server/store/database.hpp"

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

namespace signaal::store {

struct migration {
    std::int64_t version;  // NNN of the file name
    std::string_view name; // the file name without NNN_ and .sql
    std::string_view sql;
};

/// Every embedded migration, in version order 1, 2, 3, ... (generated at build time).
[[nodiscard]] std::span<const migration> embedded_migrations();

/// The newest schema this binary knows.
[[nodiscard]] std::int64_t latest_schema_version();

/// Applies, in order, every migration newer than PRAGMA user_version, each in its
/// own transaction together with the new user_version. Refuses a database whose
/// schema is newer than this binary knows. Returns the schema version now in force.
/// `applied` is told each migration once its transaction committed (the server logs it).
[[nodiscard]] result<std::int64_t>
migrate(database& db, const std::function<void(const migration&)>& applied = {});

} // namespace signaal::store
