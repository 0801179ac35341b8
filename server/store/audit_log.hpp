#pragma once
// The audit trail of staff actions (PROTOCOL.md §6): staff id, action, the
// report id where there is one, and the day. Nothing about a reporter, and
// no time of day. The server appends through its writer (a write job); the
// admin command line appends with its own connection.
#include "server/common/result.hpp"
#include "server/store/database.hpp"
#include "server/store/write_job.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace signaal::store {

enum class audit_action {
    sign_in,
    grant,
    key_upload,
    report_opened,
    status_change,
    message_sent,
    forward,
    disable,
};

/// The stored word: "sign_in", "report_opened", ...
[[nodiscard]] std::string_view to_string(audit_action action);
[[nodiscard]] std::optional<audit_action> audit_action_named(std::string_view word);

struct audit_entry {
    std::string day;   // "YYYY-MM-DD" (an integer day in SQL)
    std::string staff; // who acted
    audit_action action = audit_action::sign_in;
    std::vector<std::uint8_t> report_id; // 16 bytes, or empty when the action has no report

    friend bool operator==(const audit_entry&, const audit_entry&) = default;
};

/// Not thread-safe (one connection, one thread).
class audit_log {
  public:
    explicit audit_log(database& db) : db_(db) {}

    /// Appends one row. Checks the day, the staff id and the report id's length.
    [[nodiscard]] status append(const audit_entry& entry);

    /// Rows of `from_day` ("YYYY-MM-DD") and later, or every row; by day, then
    /// in the order they were appended.
    [[nodiscard]] result<std::vector<audit_entry>> list(std::optional<std::string_view> from_day);

    /// A withdrawn report leaves no trace here: its id is removed from every row.
    [[nodiscard]] status forget_report(std::span<const std::uint8_t> report_id);

  private:
    database& db_;
};

/// The server's way to append: a job for THE writer, so the row is committed
/// with everything else in order; `done` hears of the durable commit.
[[nodiscard]] write_job audit_job(audit_entry entry, std::function<void(status)> done);

} // namespace signaal::store
