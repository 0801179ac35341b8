#pragma once
// Staff records (PROTOCOL.md §6): id, role, desks, the public halves of a staff
// member's keys, and whether they are disabled. The server only reads them;
// signaal-admin adds and disables.
#include "server/common/result.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signaal::store {

struct staff_record {
    std::string id;                    // [a-z0-9_-]{1,32}
    std::string role;                  // "caseworker" or "coordinator"
    std::vector<std::string> desks;    // sorted; empty for a coordinator
    std::vector<std::uint8_t> sign_pk; // 32 bytes, Ed25519
    std::vector<std::uint8_t> box_pk;  // 32 bytes, X25519
    bool disabled = false;
    std::string added_day; // "YYYY-MM-DD" (an integer day in SQL)

    friend bool operator==(const staff_record&, const staff_record&) = default;
};

/// Operations on the staff tables of an open database. Not thread-safe (one
/// connection, one thread). Each call is atomic on its own (a savepoint), and
/// also runs inside a caller's transaction, such as a writer job's.
class staff_records {
  public:
    explicit staff_records(database& db) : db_(db) {}

    /// Adds a new, enabled record. Checks the id, role, key sizes and desk ids
    /// (a coordinator has none, a caseworker at least one; whether the desks are
    /// configured is the caller's check). Fails, changing nothing, when the id
    /// or the signing key is already known.
    [[nodiscard]] status add(const staff_record& record);

    /// The record with this id, disabled or not; nullopt when there is none.
    [[nodiscard]] result<std::optional<staff_record>> get(std::string_view id);

    /// Every record, by id.
    [[nodiscard]] result<std::vector<staff_record>> list();

    /// Marks the record disabled. Fails when there is no such record or it is
    /// already disabled (nothing changes then).
    [[nodiscard]] status disable(std::string_view id);

    /// The ids of the enabled caseworkers of `desk`, sorted.
    [[nodiscard]] result<std::vector<std::string>> caseworkers_of(std::string_view desk);

    /// The ids of every disabled record, sorted.
    [[nodiscard]] result<std::vector<std::string>> disabled_ids();

  private:
    database& db_;
};

/// Is `role` one of "caseworker" and "coordinator".
[[nodiscard]] bool valid_staff_role(std::string_view role);

} // namespace signaal::store
