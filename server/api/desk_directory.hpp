#pragma once
// The accepted desk keys and the config document built from them. Operators
// add and rotate keys with signaal-admin while the server runs, so the set is
// re-read from the database when it is older than `refresh_seconds`.
#include "server/api/desk_keys_view.hpp"
#include "server/common/clock.hpp"
#include "server/config/settings.hpp"
#include "server/store/database.hpp"

#include <memory>
#include <mutex>

namespace signaal::api {

struct desk_snapshot {
    desk_keys_view keys;
    std::string config_json; // GET /api/v1/config
};

class desk_directory {
  public:
    desk_directory(store::database read_only, const config::settings& settings, const clock& clock,
                   std::int64_t refresh_seconds = 2);

    /// The current snapshot; on a database error the last good one is kept.
    [[nodiscard]] std::shared_ptr<const desk_snapshot> current();

  private:
    void reload(std::int64_t now);

    std::mutex mutex_;
    store::database db_;
    const config::settings& settings_;
    const clock& clock_;
    const std::int64_t refresh_seconds_;
    std::int64_t loaded_at_ = 0;
    std::shared_ptr<const desk_snapshot> snapshot_;
};

} // namespace signaal::api
