#pragma once
// Freezing quarters from the server: always as a job of THE writer (one write
// connection; a quarter is checked and stored in one savepoint, so a request
// and the daily run never freeze it twice).
#include "server/api/report_sink.hpp"
#include "server/common/result.hpp"
#include "server/stats/frozen_quarters.hpp"

#include <cstdint>
#include <functional>
#include <vector>

namespace signaal::api {

/// The write job that freezes `quarters` (each due on `today`, frozen ones skipped).
[[nodiscard]] store::write_job freeze_job(std::vector<stats::quarter> quarters, std::int64_t today,
                                          stats::freeze_policy policy,
                                          std::function<void(status)> done);

} // namespace signaal::api
