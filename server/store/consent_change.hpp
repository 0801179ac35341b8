#pragma once
// A reporter's signed consent change (PROTOCOL.md §7, stepped consent),
// applied inside one writer job after the route checked her signature: the
// change number, then the desks, are checked against the report as it is in
// the writer; an added desk becomes pending; a removed desk loses its report
// envelope, its message envelopes of the report and its status row for good
// (the connection runs with secure_delete, and the job asks for the WAL to be
// checkpointed after the commit, as a withdrawal does). Events: `withdrawn`
// to each removed desk that held an envelope, `consent` to each that still does.
#include "server/common/result.hpp"
#include "server/store/report_readers.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace signaal::store {

class job_context;

struct consent_change_request {
    std::vector<std::uint8_t> report_id;  // 16 bytes, public id
    std::vector<std::uint8_t> mailbox_pk; // the mailbox that signed in: only its report
    consent_change_record change;         // add and remove sorted, no repeats
    std::vector<std::string> known;       // every desk the service serves (with a key)
    std::vector<std::string> routed;      // the desks the report's category routes to
};

struct consent_change_outcome {
    enum class kind {
        applied,          // stored, with its events
        not_found,        // not the report of that mailbox (or withdrawn meanwhile)
        stale_change,     // the number is not the report's next
        unknown_desk,     // a desk the service does not serve
        consent_violation // see `why`
    } what = kind::not_found;
    std::string why;                         // consent_violation: a plain sentence
    std::vector<std::string> desks, pending; // applied: as they are now
};

/// Runs inside a writer job. The refusals write nothing and are no error; an
/// error leaves the job's savepoint to be rolled back.
[[nodiscard]] result<consent_change_outcome>
apply_consent_change(job_context& job, const consent_change_request& request);

} // namespace signaal::store
