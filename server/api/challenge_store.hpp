#pragma once
// Sign-in challenges (PROTOCOL.md §6, §7): random 32-byte values kept in memory
// only, each good for one sign-in within its lifetime. The count outstanding
// is bounded, so a flood of requests cannot grow the server's memory.
// Thread-safe.
#include "server/common/clock.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>

namespace signaal::api {

class challenge_store {
  public:
    static constexpr std::size_t challenge_size = 32;
    static constexpr std::size_t default_max_outstanding = 4096;
    using challenge = std::array<std::uint8_t, challenge_size>;

    challenge_store(const clock& clock, std::int64_t lifetime_seconds,
                    std::size_t max_outstanding = default_max_outstanding);

    /// A fresh challenge; nullopt when `max_outstanding` unexpired ones are
    /// outstanding already (the caller answers busy).
    [[nodiscard]] std::optional<challenge> issue();

    /// True, once, for a challenge issued here and not yet expired; it is used
    /// up either way, so a failed sign-in cannot try it again.
    [[nodiscard]] bool take(std::span<const std::uint8_t> value);

    [[nodiscard]] std::size_t outstanding() const;

    /// Drops every expired challenge now (the retention timer calls it). How many.
    std::size_t forget_expired();

  private:
    void drop_expired(std::int64_t now); // mutex_ held

    const clock& clock_;
    const std::int64_t lifetime_;
    const std::size_t max_outstanding_;
    mutable std::mutex mutex_;
    std::map<challenge, std::int64_t> expires_; // guarded by mutex_; challenge -> unix second
};

} // namespace signaal::api
