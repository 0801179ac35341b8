#pragma once
// Answers by route template and status: a fixed table of relaxed atomics, so
// counting takes no lock on the request path. Statuses the API does not use
// are counted as "other".
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace signaal::metrics {

class request_counts {
  public:
    request_counts();
    /// `route`: an index from route_index().
    void add(std::size_t route, unsigned status);
    /// Appends the counter family signaal_http_requests_total (non-zero rows).
    void write(std::string& out) const;
    /// The count of one row, for tests.
    [[nodiscard]] std::uint64_t count(std::size_t route, unsigned status) const;

  private:
    std::unique_ptr<std::atomic<std::uint64_t>[]> counts_; // routes x statuses
};

} // namespace signaal::metrics
