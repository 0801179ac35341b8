#include "server/api/desk_directory.hpp"

#include "server/api/config_document.hpp"
#include "server/store/desk_keys.hpp"

namespace signaal::api {

desk_directory::desk_directory(store::database read_only, const config::settings& settings,
                               const clock& clock, std::int64_t refresh_seconds)
    : db_(std::move(read_only)), settings_(settings), clock_(clock),
      refresh_seconds_(refresh_seconds) {
    reload(clock_.now_unix());
    if (!snapshot_)
        snapshot_ = std::make_shared<desk_snapshot>(
            desk_snapshot{{}, config_document(settings_, desk_keys_view{})});
}

std::shared_ptr<const desk_snapshot> desk_directory::current() {
    std::lock_guard lock(mutex_);
    const auto now = clock_.now_unix();
    if (now - loaded_at_ >= refresh_seconds_ || now < loaded_at_)
        reload(now);
    return snapshot_;
}

void desk_directory::reload(std::int64_t now) {
    store::desk_keys table(db_);
    auto keys = table.accepted(now);
    loaded_at_ = now;
    if (!keys)
        return;
    desk_snapshot next;
    for (auto& key : *keys) {
        if (settings_.find_desk(key.desk) == nullptr)
            continue; // a key for a desk the config no longer has
        next.keys.accepted[key.desk].push_back(key.key_id);
        if (!key.accept_until)
            next.keys.current[key.desk] = {key.key_id, key.public_key};
    }
    next.config_json = config_document(settings_, next.keys);
    snapshot_ = std::make_shared<const desk_snapshot>(std::move(next));
}

} // namespace signaal::api
