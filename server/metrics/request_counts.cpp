#include "server/metrics/request_counts.hpp"

#include "server/metrics/route_template.hpp"

#include <algorithm>
#include <array>

namespace signaal::metrics {
namespace {

constexpr std::array<unsigned, 21> statuses{101, 200, 201, 204, 206, 301, 304, 400, 401, 403, 404,
                                            405, 409, 413, 415, 422, 429, 431, 500, 503, 0};
constexpr std::size_t other_status = statuses.size() - 1; // shown as "other"

std::size_t status_index(unsigned status) {
    const auto it = std::find(statuses.begin(), statuses.end() - 1, status);
    return static_cast<std::size_t>(it - statuses.begin()); // other_status when absent
}

} // namespace

request_counts::request_counts()
    : counts_(std::make_unique<std::atomic<std::uint64_t>[]>(route_templates().size() *
                                                             statuses.size())) {}

void request_counts::add(std::size_t route, unsigned status) {
    counts_[route * statuses.size() + status_index(status)].fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t request_counts::count(std::size_t route, unsigned status) const {
    return counts_[route * statuses.size() + status_index(status)].load(std::memory_order_relaxed);
}

void request_counts::write(std::string& out) const {
    out += "# HELP signaal_http_requests_total Answers by route template and status.\n";
    out += "# TYPE signaal_http_requests_total counter\n";
    const auto routes = route_templates();
    for (std::size_t r = 0; r < routes.size(); ++r) {
        for (std::size_t s = 0; s < statuses.size(); ++s) {
            const auto n = counts_[r * statuses.size() + s].load(std::memory_order_relaxed);
            if (n == 0) {
                continue;
            }
            const std::string code = s == other_status ? "other" : std::to_string(statuses[s]);
            out += "signaal_http_requests_total{route=\"" + std::string(routes[r]) +
                   "\",status=\"" + code + "\"} " + std::to_string(n) + "\n";
        }
    }
}

} // namespace signaal::metrics
