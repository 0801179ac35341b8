#include "server/metrics/server_metrics.hpp"

#include "server/metrics/number_text.hpp"

namespace signaal::metrics {

server_metrics::server_metrics()
    : batch_size_({1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}, 1.0),
      // microseconds; shown in seconds
      commit_micros_(
          {500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000},
          1e6) {}

void server_metrics::observe_commit(const store::commit_stats& commit) {
    reports_accepted_.fetch_add(commit.reports, std::memory_order_relaxed);
    batch_size_.observe(commit.items);
    commit_micros_.observe(static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(commit.duration).count()));
}

void server_metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
    gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string server_metrics::render() const {
    std::string out;
    requests.write(out);
    out += "# HELP signaal_reports_accepted_total Reports durably committed (answered 201).\n";
    out += "# TYPE signaal_reports_accepted_total counter\n";
    out += "signaal_reports_accepted_total " + std::to_string(reports_accepted()) + "\n";
    for (const auto& g : gauges_) {
        out += "# HELP " + g.name + " " + g.help + "\n";
        out += "# TYPE " + g.name + " gauge\n";
        out += g.name + " " + number_text(g.read()) + "\n";
    }
    batch_size_.write(out, "signaal_commit_batch_size",
                      "Requests and jobs written in one group commit.");
    commit_micros_.write(out, "signaal_commit_duration_seconds",
                         "Time from BEGIN to a durable COMMIT of one group.");
    return out;
}

} // namespace signaal::metrics
