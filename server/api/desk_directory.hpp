#pragma once
// The accepted desk keys and the config document built from them, published as
// one immutable snapshot. Requests only load the current snapshot (no lock, no
// I/O); desk_key_refresher replaces it from the database off the request path.
#include "server/api/desk_keys_view.hpp"
#include "server/config/settings.hpp"
#include "server/store/records.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace signaal::api {

struct desk_snapshot {
    desk_keys_view keys;
    std::string config_json; // GET /api/v1/config
};

/// The view of a set of stored keys: keys of desks the config no longer has are left out.
[[nodiscard]] desk_keys_view view_of(const std::vector<store::desk_key>& keys,
                                     const config::settings& settings);

class desk_directory {
  public:
    /// Starts with a snapshot of no keys (every desk unknown) until the first publish().
    explicit desk_directory(const config::settings& settings);

    /// The snapshot to answer a request with; safe from any thread, never blocks on I/O.
    [[nodiscard]] std::shared_ptr<const desk_snapshot> current() const;

    /// Replaces the snapshot atomically: requests see the old one or the new one, whole.
    void publish(desk_keys_view keys);

    /// How many snapshots were published so far.
    [[nodiscard]] std::uint64_t published() const;
    /// Waits until more than `seen` snapshots were published: tests wait on this
    /// instead of sleeping through a refresh interval. False on timeout.
    [[nodiscard]] bool wait_published_after(std::uint64_t seen,
                                            std::chrono::milliseconds timeout) const;

    /// A key upload changed the keys: asks the attached refresher to read them
    /// again now. `published` is called once (on the refresher's thread) after
    /// a snapshot read after this call was published, so the intake accepts the
    /// new key by then; at once when no refresher is attached.
    void refresh_now(std::function<void()> published);

    /// The refresher's side: `wake` is how refresh_now() reaches it (an empty
    /// function detaches); take_refresh_waiters() hands over the callbacks to
    /// call once its next read is published.
    void attach_refresher(std::function<void()> wake);
    [[nodiscard]] std::vector<std::function<void()>> take_refresh_waiters();

  private:
    const config::settings& settings_;
    std::atomic<std::shared_ptr<const desk_snapshot>> snapshot_;
    mutable std::mutex mutex_; // only for the waiters on `published_`
    mutable std::condition_variable published_cv_;
    std::uint64_t published_ = 0;                        // guarded by mutex_
    std::function<void()> wake_refresher_;               // guarded by mutex_
    std::vector<std::function<void()>> refresh_waiters_; // guarded by mutex_
};

} // namespace signaal::api
