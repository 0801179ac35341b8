#pragma once
// Writes reports and their per-desk days straight into a real store file, as
// the writer and the status route leave them, for the quarterly numbers to
// count. Constant SQL with binds only.
#include "server/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace signaal::stats::test {

struct desk_days {
    std::string desk;
    std::optional<std::int64_t> ack_day;
    std::optional<std::int64_t> closed_day;
};

struct report_row {
    std::int64_t received_day = 0;
    std::string role = "sex_worker";
    std::string category = "violence";
    std::vector<desk_days> desks; // empty: a count-only report
    std::optional<std::int64_t> withdrawn_day;
};

/// Inserts `r` with a fresh id and number; returns its 16-byte id.
std::vector<std::uint8_t> insert_report(store::database& db, const report_row& r);

/// Deletes every report received before `day` (what a purge does).
void purge_before(store::database& db, std::int64_t day);

/// Sets a desk's acknowledgement and close days of every report (a late status change).
void set_days_for_all(store::database& db, const std::string& desk, std::int64_t ack_day,
                      std::int64_t closed_day);

/// Days since 1970-01-01 of "YYYY-MM-DD" (fails the test on a bad date).
std::int64_t day(const char* yyyy_mm_dd);

} // namespace signaal::stats::test
