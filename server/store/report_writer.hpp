#pragma once
// THE single writer of reports: one connection, one thread, group commit.
// Requests queue up; the thread takes up to batch_max at a time and stores them
// in one transaction (one savepoint each), commits once with synchronous=FULL,
// and only then calls each request's completion.
#include "server/store/records.hpp"
#include "server/store/result.hpp"
#include "server/store/write_completion.hpp"
#include "server/store/write_request.hpp"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace signaal::store {

struct writer_stats {
    std::uint64_t batches = 0;   // successful COMMITs (each holds >= 1 request)
    std::uint64_t committed = 0; // requests answered committed
    std::uint64_t pow_reused = 0;
    std::uint64_t failed = 0;
    std::uint64_t busy = 0; // refused by submit()
};

class report_writer {
  public:
    using clock = std::function<std::int64_t()>; // unix seconds
    using commit_hook = std::function<void(const std::vector<committed_event>&)>;

    /// Spent-proof-of-work rows past their expiry are deleted at most this often.
    static constexpr std::int64_t prune_interval_seconds = 60;

    /// Nothing is opened until start(). `now_unix` defaults to the system clock
    /// (tests pass a fake one; it only drives spent_pow pruning).
    report_writer(std::filesystem::path path, std::size_t batch_max, std::size_t max_pending,
                  clock now_unix = {});
    report_writer(const report_writer&) = delete;
    report_writer& operator=(const report_writer&) = delete;
    /// stop(): finishes every queued request first.
    ~report_writer();

    /// Optional; set before start(). Called on the writer thread right after a
    /// commit, before the completions, with (desk, report_id, seq) of every event
    /// row the batch committed. Must not throw or block for long.
    void set_on_committed(commit_hook hook);

    /// Opens the write connection (the database must already be migrated to
    /// latest_schema_version()), prepares the statements and starts the thread.
    [[nodiscard]] status start();

    /// Queues a request. The completion is called exactly once: on the writer
    /// thread after the batch's COMMIT returned (committed, pow_reused or failed),
    /// or synchronously, inside submit(), with `busy` when max_pending requests
    /// are already queued or the writer is stopping. Returns false in that case.
    /// Thread-safe. The completion must not throw; post its work elsewhere.
    bool submit(write_request request, write_completion done);

    /// Stops taking requests, finishes every queued one, joins the thread.
    /// Idempotent. If start() never succeeded, queued requests get `failed`.
    void stop();

    [[nodiscard]] writer_stats stats() const;
    /// Requests queued and not yet taken into a batch.
    [[nodiscard]] std::size_t pending() const;

  private:
    struct pending_request {
        write_request request;
        write_completion done;
    };
    struct connection; // database + prepared statements, used only by the thread

    void run();
    void process(std::vector<pending_request>& batch);
    [[nodiscard]] write_outcome write_one(const write_request& request,
                                          std::vector<committed_event>& events);
    [[nodiscard]] bool prune_due(std::int64_t now) const;

    const std::filesystem::path path_;
    const std::size_t batch_max_;
    const std::size_t max_pending_;
    clock now_unix_;
    commit_hook on_committed_;

    std::unique_ptr<connection> conn_;
    std::optional<std::int64_t> last_prune_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<pending_request> queue_; // guarded by mutex_
    bool stopping_ = false;             // guarded by mutex_
    bool started_ = false;              // guarded by mutex_
    std::thread thread_;

    std::atomic<std::uint64_t> batches_{0};
    std::atomic<std::uint64_t> committed_{0};
    std::atomic<std::uint64_t> pow_reused_{0};
    std::atomic<std::uint64_t> failed_{0};
    std::atomic<std::uint64_t> busy_{0};
};

} // namespace signaal::store
