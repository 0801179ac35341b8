#pragma once
// A caseworker of a desk holding a report's envelope seals the report key to
// desks the reporter added (PROTOCOL.md §7, stepped consent), inside one
// writer job: the envelopes land, those desks stop being pending and get a
// status row at `new`, a `report` event each; the desks that held an envelope
// before get `consent` (their `pending` changed); the audit trail records a
// `forward` by the caseworker. The route checked the key ids beforehand.
#include "server/common/result.hpp"
#include "server/store/records.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace signaal::store {

class job_context;

struct forward_request {
    std::vector<std::uint8_t> report_id;   // 16 bytes, public id
    std::vector<std::string> caller_desks; // every desk of the caseworker
    std::vector<envelope> envelopes;       // sorted by desk, no repeats, at least one
    std::int64_t day = 0;                  // days since 1970-01-01 UTC
    std::string staff_id;                  // for the audit trail
};

struct forward_outcome {
    enum class kind {
        forwarded,  // stored, with its events and audit row
        not_found,  // none of the caller's desks holds an envelope or is pending
        forbidden,  // the caller's desks are only pending: they hold no report key
        not_pending // an envelope for a desk that is not pending
    } what = kind::not_found;
    std::vector<std::string> desks, pending; // forwarded: as they are now
};

/// Runs inside a writer job. The refusals write nothing and are no error.
[[nodiscard]] result<forward_outcome> apply_forward(job_context& job,
                                                    const forward_request& request);

} // namespace signaal::store
