#pragma once
// What the writer tells its commit observer after each durable group commit:
// sizes and a duration, nothing of what was written.
#include <chrono>
#include <cstddef>
#include <functional>

namespace signaal::store {

struct commit_stats {
    std::size_t items = 0;             // requests and jobs in the group
    std::size_t reports = 0;           // reports committed (each answered 201)
    std::chrono::nanoseconds duration; // BEGIN to COMMIT returned (synchronous=FULL)
};

/// Called on the writer's thread; must be quick and must not throw.
using commit_observer = std::function<void(const commit_stats&)>;

} // namespace signaal::store
