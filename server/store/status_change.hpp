#pragma once
// A desk's handling status of a report (PROTOCOL.md §6), changed inside one
// writer job: the status, its day, the first acknowledgement and first close
// days (kept for §8), a `status` event for that desk only, and the audit row,
// all in the job's savepoint.
#include "server/common/result.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace signaal::store {

class job_context;

/// new, acknowledged, in_progress or closed.
[[nodiscard]] bool is_report_status(std::string_view status);

struct status_change {
    std::vector<std::uint8_t> report_id;   // 16 bytes, public id
    std::string desk;                      // the desk whose status changes
    std::string status;                    // is_report_status()
    std::vector<std::string> reader_desks; // every desk of the caller
    std::int64_t day = 0;                  // days since 1970-01-01 UTC
    std::string staff_id;                  // who changes it, for the audit trail
};

struct status_change_outcome {
    enum class kind {
        changed,    // stored, with its event
        unchanged,  // the desk had this status already: nothing written
        not_found,  // no such report, or neither routed nor pending for the reader's desks
        not_routed, // routed to the reader, but not to `desk`
        forbidden   // only pending for the reader's desks: no status yet (403)
    } what = kind::not_found;
    /// changed/unchanged: the status of every reader desk that the report has.
    std::map<std::string, std::string> status;
};

/// Runs inside a writer job. An error leaves the job's savepoint to be rolled
/// back; the refusals (not_found, not_routed) write nothing and are no error.
[[nodiscard]] result<status_change_outcome> apply_status_change(job_context& job,
                                                                const status_change& change);

} // namespace signaal::store
