#include "server/api/retention_timer.hpp"

#include "server/store/retention_purge.hpp"

#include <future>
#include <memory>

namespace signaal::api {

namespace {

/// One writer job: purges up to `max_reports`, and asks for the WAL to be
/// checkpointed and truncated after its commit when anything changed.
store::write_job purge_job(std::int64_t before_day, std::size_t max_reports,
                           std::shared_ptr<std::promise<result<std::size_t>>> outcome) {
    auto purged = std::make_shared<std::size_t>(0);
    store::write_job job;
    job.apply = [before_day, max_reports, purged](store::job_context& ctx) -> status {
        auto done = store::purge_reports_before(ctx.db(), before_day, max_reports);
        if (!done) {
            return done.error();
        }
        if (done->changed) {
            ctx.checkpoint_after_commit();
        }
        *purged = done->reports;
        return {};
    };
    job.done = [outcome, purged](status s) {
        if (s) {
            outcome->set_value(*purged);
        } else {
            outcome->set_value(s.error());
        }
    };
    return job;
}

} // namespace

retention_timer::retention_timer(report_sink& writer, unsigned retention_days, const clock& clock,
                                 auth::token_registry& tokens, challenge_store& challenges,
                                 std::chrono::milliseconds interval)
    : writer_(writer), retention_days_(retention_days), clock_(clock), tokens_(tokens),
      challenges_(challenges), interval_(interval) {}

retention_timer::~retention_timer() {
    stop();
}

result<std::optional<retention_run>> retention_timer::run_once() {
    (void)tokens_.forget_expired();
    (void)challenges_.forget_expired();
    const std::int64_t today = unix_day(clock_.now_unix());
    if (purged_on_ == today) {
        return std::optional<retention_run>{};
    }
    retention_run run;
    run.before_day = today - retention_days_;
    for (;;) {
        auto outcome = std::make_shared<std::promise<result<std::size_t>>>();
        auto committed = outcome->get_future();
        writer_.submit_job(purge_job(run.before_day, reports_per_job, outcome));
        auto purged = committed.get();
        if (!purged) {
            return purged.error(); // tried again at the next tick
        }
        run.reports += *purged;
        if (*purged < reports_per_job) {
            break;
        }
    }
    purged_on_ = today;
    return std::optional<retention_run>(run);
}

void retention_timer::on_run(
    std::function<void(const result<std::optional<retention_run>>&)> listener) {
    listener_ = std::move(listener);
}

void retention_timer::start() {
    const std::lock_guard lock(mutex_);
    if (thread_.joinable() || stopping_) {
        return;
    }
    thread_ = std::thread([this] { run(); });
}

void retention_timer::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void retention_timer::run() {
    for (;;) {
        const auto outcome = run_once();
        if (listener_) {
            listener_(outcome);
        }
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
            return;
        }
    }
}

} // namespace signaal::api
