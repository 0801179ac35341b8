#pragma once
// A change other than a new report (a status change, a key upload, an audit
// row...), run by THE writer thread inside a commit group, in a savepoint of
// its own: the server's every write goes through one connection, so events
// get their per-desk seq in commit order and every commit is durable before
// anyone is told.
#include "server/common/result.hpp"
#include "server/store/database.hpp"
#include "server/store/event_record.hpp"

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

namespace signaal::store {

class job_context {
  public:
    virtual ~job_context() = default;
    /// The write connection, inside the job's savepoint.
    [[nodiscard]] virtual database& db() = 0;
    /// Appends an event for `desk` with the desk's next seq (told to the event
    /// listener once the commit is durable, and only if the job succeeded).
    [[nodiscard]] virtual result<std::int64_t> add_event(std::string_view desk,
                                                         std::int64_t report_no,
                                                         std::span<const std::uint8_t> report_id,
                                                         std::string_view kind) = 0;
    /// Asks the writer to checkpoint the WAL and truncate it after this job's
    /// durable commit and before `done` is called (a withdrawal: no frame of
    /// what it deleted lingers in the WAL). Ignored when the job fails.
    virtual void checkpoint_after_commit() = 0;
};

struct write_job {
    /// Runs in a savepoint; an error rolls back this job only.
    std::function<status(job_context&)> apply;
    /// Called once on the writer thread: apply's error, a failed commit, a busy
    /// queue (synchronously, inside submit_job), or success after the durable
    /// commit. Must not throw; post work elsewhere.
    std::function<void(status)> done;
};

} // namespace signaal::store
