#include "server/api/stats_freeze_timer.hpp"

#include "server/api/stats_freezing.hpp"
#include "server/stats/configured_policy.hpp"
#include "server/stats/stats_answer.hpp"

#include <future>

namespace signaal::api {

stats_freeze_timer::stats_freeze_timer(store::read_pool& reads, report_sink& writer,
                                       const config::settings& settings, const clock& clock,
                                       std::chrono::milliseconds interval)
    : reads_(reads), writer_(writer), settings_(settings), clock_(clock), interval_(interval) {}

stats_freeze_timer::~stats_freeze_timer() {
    stop();
}

result<std::size_t> stats_freeze_timer::run_once() {
    const std::int64_t today = unix_day(clock_.now_unix());
    auto due = reads_.run_here(
        [today](store::database& db) { return stats::due_for_daily_run(db, today); });
    if (!due) {
        return due.error();
    }
    if (due->empty()) {
        return std::size_t{0};
    }
    const std::size_t count = due->size();
    auto outcome = std::make_shared<std::promise<status>>();
    auto committed = outcome->get_future();
    writer_.submit_job(freeze_job(std::move(*due), today, stats::configured_policy(settings_),
                                  [outcome](status s) { outcome->set_value(std::move(s)); }));
    if (auto s = committed.get(); !s) {
        return s.error();
    }
    return count;
}

void stats_freeze_timer::on_run(std::function<void(const result<std::size_t>&)> listener) {
    listener_ = std::move(listener);
}

void stats_freeze_timer::start() {
    const std::lock_guard lock(mutex_);
    if (thread_.joinable() || stopping_) {
        return;
    }
    thread_ = std::thread([this] { run(); });
}

void stats_freeze_timer::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void stats_freeze_timer::run() {
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
