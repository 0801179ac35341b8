#include "server/api/stats_freezing.hpp"

namespace signaal::api {

store::write_job freeze_job(std::vector<stats::quarter> quarters, std::int64_t today,
                            stats::freeze_policy policy, std::function<void(status)> done) {
    store::write_job job;
    job.apply = [quarters = std::move(quarters), today,
                 policy = std::move(policy)](store::job_context& ctx) -> status {
        auto frozen = stats::freeze_quarters(ctx.db(), quarters, today, policy);
        if (!frozen) {
            return frozen.error();
        }
        return {};
    };
    job.done = std::move(done);
    return job;
}

} // namespace signaal::api
