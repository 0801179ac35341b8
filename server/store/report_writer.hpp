#pragma once
// THE single writer of the server: one connection, one thread, group commit.
// Reports and jobs (every other change: write_job.hpp) queue up; the thread
// takes every queued item (up to batch_max) and writes them in one transaction
// (one savepoint each, in shuffled order), commits once with synchronous=FULL,
// and only then calls each completion and tells the event listener.
// Spent proof-of-work tokens are checked in memory (loaded from spent_pow at
// start) and appended to spent_pow in the report's savepoint; memory learns
// them only once their batch committed. Between batches, on timers, it drops
// spent tokens past their day and checkpoints the WAL and truncates it.
#include "server/common/clock.hpp"
#include "server/common/result.hpp"
#include "server/store/commit_stats.hpp"
#include "server/store/database.hpp"
#include "server/store/event_record.hpp"
#include "server/store/records.hpp"
#include "server/store/spent_tokens.hpp"
#include "server/store/write_completion.hpp"
#include "server/store/write_job.hpp"
#include "server/store/write_request.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <variant>
#include <vector>

namespace signaal::store {

/// Does a stored report carry this box_pk or this mailbox_pk (PROTOCOL.md §7
/// reply_in_use)? Any connection; the intake asks before the proof of work.
[[nodiscard]] result<bool> reply_keys_in_use(database& db, std::span<const std::uint8_t> box_pk,
                                             std::span<const std::uint8_t> mailbox_pk);

struct writer_options {
    /// Most requests in one commit; a batch holds whatever is queued, up to this.
    std::size_t batch_max = 512;
    /// Queued requests beyond this are answered `busy` at once.
    std::size_t max_pending = 2048;
    /// A spent token is remembered until received_day + this (in days). It
    /// must cover the token lifetime (at most a day): 2 keeps a token spent at
    /// 23:59 through the next day, whatever its second of expiry.
    std::int64_t spent_token_days = 2;
    /// How often spent tokens past their day are deleted.
    std::chrono::milliseconds prune_interval = std::chrono::hours(1);
    /// How often the WAL is checkpointed and truncated, so that no old frame
    /// lingers in it.
    std::chrono::milliseconds checkpoint_interval = std::chrono::minutes(10);
};

class report_writer {
  public:
    /// Nothing is opened until start(). `clock` says which day it is (for
    /// pruning); it must outlive the writer.
    report_writer(std::filesystem::path path, writer_options options, const clock& clock);
    report_writer(const report_writer&) = delete;
    report_writer& operator=(const report_writer&) = delete;
    /// stop(): finishes every queued request first.
    ~report_writer();

    /// Opens the write connection (the database must already be migrated to
    /// latest_schema_version()), prepares the statements, loads the spent
    /// tokens, prunes, checkpoints and starts the thread.
    [[nodiscard]] status start();

    /// Queues a request. The completion is called exactly once: on the writer
    /// thread after the batch's COMMIT returned (committed, pow_reused or failed),
    /// or synchronously, inside submit(), with `busy` when max_pending requests
    /// are already queued or the writer is stopping. Returns false in that case.
    /// Thread-safe. The completion must not throw; post its work elsewhere.
    bool submit(write_request request, write_completion done);

    /// Queues a job (write_job.hpp); the same queue, bound and batches as reports.
    /// Returns false when it was refused at once (busy), after calling job.done.
    bool submit_job(write_job job);

    /// Set before start(): told the events of every durable commit.
    void set_event_listener(event_listener listener);

    /// Set before start(): told the size and duration of every durable commit.
    void set_commit_observer(commit_observer observer);
    /// Set before start(): told, on the writer thread, how many requests and jobs
    /// a batch held whose transaction did not commit (each was answered `failed`).
    void set_failure_listener(std::function<void(std::size_t lost)> listener);

    /// Requests queued and not yet committed: the intake's load signal (busy first).
    [[nodiscard]] std::size_t pending() const;

    /// Stops taking requests, finishes every queued one, checkpoints, joins the
    /// thread. Idempotent. If start() never succeeded, queued requests get `failed`.
    void stop();

  private:
    struct pending_request {
        write_request request;
        write_completion done;
    };
    using queued = std::variant<pending_request, write_job>;
    struct connection; // database + prepared statements, used only by the thread
    class context;     // job_context over the connection

    bool enqueue(queued item);
    void run();
    void process(std::vector<queued>& batch);
    [[nodiscard]] write_outcome write_one(const write_request& request);
    [[nodiscard]] status run_job(const write_job& job);
    [[nodiscard]] result<std::int64_t> append_event(std::string_view desk, std::int64_t report_no,
                                                    std::span<const std::uint8_t> report_id,
                                                    std::string_view kind);
    [[nodiscard]] status load_spent();
    void prune();
    void checkpoint();

    const std::filesystem::path path_;
    const writer_options options_;
    const clock& clock_;

    std::unique_ptr<connection> conn_;
    // Used only by the thread (and by start() before it): tokens of committed
    // batches, and those of the batch being written (released savepoints only).
    spent_tokens spent_;
    spent_tokens batch_spent_;
    // Events of the batch being written (released savepoints only), and of the
    // savepoint being written; told to listener_ after a durable commit.
    std::vector<event_record> batch_events_;
    std::vector<event_record> step_events_;
    // A job of the batch (released) asked for a checkpoint after the commit.
    bool batch_checkpoint_ = false;
    bool step_checkpoint_ = false;
    event_listener listener_;
    commit_observer commit_observer_;
    std::function<void(std::size_t)> failure_listener_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<queued> queue_; // guarded by mutex_
    bool stopping_ = false;    // guarded by mutex_
    bool started_ = false;     // guarded by mutex_
    std::thread thread_;
};

} // namespace signaal::store
