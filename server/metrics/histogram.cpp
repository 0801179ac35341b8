#include "server/metrics/histogram.hpp"

#include "server/metrics/number_text.hpp"

#include <algorithm>

namespace signaal::metrics {

histogram::histogram(std::vector<std::uint64_t> bounds, double unit)
    : bounds_(std::move(bounds)), unit_(unit),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void histogram::observe(std::uint64_t value) {
    const auto bucket = static_cast<std::size_t>(
        std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
    counts_[bucket].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
}

void histogram::write(std::string& out, std::string_view name, std::string_view help) const {
    const std::string n(name);
    out += "# HELP " + n + " " + std::string(help) + "\n";
    out += "# TYPE " + n + " histogram\n";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        cumulative += counts_[i].load(std::memory_order_relaxed);
        const std::string le = i < bounds_.size()
                                   ? number_text(static_cast<double>(bounds_[i]) / unit_)
                                   : std::string("+Inf");
        out += n + "_bucket{le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += n + "_sum " +
           number_text(static_cast<double>(sum_.load(std::memory_order_relaxed)) / unit_) + "\n";
    out += n + "_count " + std::to_string(cumulative) + "\n";
}

} // namespace signaal::metrics
