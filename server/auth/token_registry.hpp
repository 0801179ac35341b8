#pragma once
// Bearer tokens, in memory only: 32 random bytes handed out once, kept as
// BLAKE2b-256(token) beside their principal and expiry. Nothing of a session
// reaches the database, so no sign-in leaves a time of day there; a restart
// ends every session (clients sign in again). Thread-safe.
#include "server/auth/principal.hpp"
#include "server/common/clock.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signaal::auth {

struct issued_token {
    std::string token;       // base64url of the 32 bytes: give it to the client, keep it nowhere
    std::int64_t expires_in; // seconds
};

class token_registry {
  public:
    /// `max_tokens` bounds memory: beyond it, expired tokens are swept and, if
    /// none were, issue() refuses.
    token_registry(const clock& time, std::size_t max_tokens);

    /// A new token for `who`, valid `lifetime_seconds` (> 0). nullopt when the
    /// registry is full of live tokens.
    [[nodiscard]] std::optional<issued_token> issue(principal who, std::int64_t lifetime_seconds);

    /// The principal of a live token of that scope; nullopt for an unknown,
    /// malformed, expired or ended token, or one of the other scope.
    [[nodiscard]] std::optional<principal> find(std::string_view token, scope wanted) const;

    /// Logout: ends one token. False when it was not live.
    bool end(std::string_view token);

    /// Ends every staff token of `staff_id` (disable), then tells the listeners
    /// (open streams close at once).
    void end_staff(std::string_view staff_id);

    /// Ends every mailbox token signed in with `mailbox_pk`.
    void end_mailbox(const std::vector<std::uint8_t>& mailbox_pk);

    using staff_listener = std::function<void(const std::string& staff_id)>;
    /// Called, on the thread that calls end_staff(), after that staff's tokens ended.
    void on_staff_ended(staff_listener listener);

    /// Live tokens (expired ones not yet swept included).
    [[nodiscard]] std::size_t size() const;

    /// Drops every expired token now (the retention timer calls it), so a
    /// mailbox token's key does not stay in memory until the registry fills.
    /// How many it dropped.
    std::size_t forget_expired();

  private:
    using token_hash = std::array<std::uint8_t, 32>;
    struct entry {
        principal who;
        std::int64_t expires_unix;
    };
    [[nodiscard]] static std::optional<token_hash> hash_of(std::string_view token);
    void sweep_expired(std::int64_t now); // mutex_ held

    const clock& time_;
    const std::size_t max_tokens_;
    mutable std::mutex mutex_;
    std::map<token_hash, entry> tokens_;
    std::vector<staff_listener> listeners_;
};

} // namespace signaal::auth
