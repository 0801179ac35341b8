#pragma once
// A Prometheus histogram with fixed buckets: one relaxed atomic add per
// observation, no lock. Values are whole units (microseconds, items); the
// exposition divides them by `unit` (1e6 for seconds).
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace signaal::metrics {

class histogram {
  public:
    /// `bounds`: ascending upper bounds in units; +Inf is added.
    histogram(std::vector<std::uint64_t> bounds, double unit);

    void observe(std::uint64_t value);

    /// Appends `# HELP`, `# TYPE` and the cumulative buckets, _sum and _count.
    void write(std::string& out, std::string_view name, std::string_view help) const;

  private:
    const std::vector<std::uint64_t> bounds_;
    const double unit_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> counts_; // one per bound, then +Inf
    std::atomic<std::uint64_t> sum_{0};
};

} // namespace signaal::metrics
