#pragma once
// Everything /metrics shows, none of it per reporter and none an id: answers
// by route template and status, reports accepted, open connections and
// streams (read when scraped), and the writer's commit batch sizes and
// latencies. Updates are relaxed atomics, on whichever thread sees the event.
#include "server/metrics/histogram.hpp"
#include "server/metrics/request_counts.hpp"
#include "server/store/commit_stats.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace signaal::metrics {

class server_metrics {
  public:
    server_metrics();

    request_counts requests;

    /// The writer's commit observer (its thread).
    void observe_commit(const store::commit_stats& commit);

    /// A gauge read when scraped (e.g. open connections); set before serving.
    void add_gauge(std::string name, std::string help, std::function<double()> read);

    /// The Prometheus text exposition (format 0.0.4).
    [[nodiscard]] std::string render() const;

    [[nodiscard]] std::uint64_t reports_accepted() const {
        return reports_accepted_.load(std::memory_order_relaxed);
    }

  private:
    struct gauge {
        std::string name;
        std::string help;
        std::function<double()> read;
    };
    std::atomic<std::uint64_t> reports_accepted_{0};
    histogram batch_size_;
    histogram commit_micros_;
    std::vector<gauge> gauges_;
};

} // namespace signaal::metrics
