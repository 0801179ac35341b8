#pragma once
// Desk public keys: one current key per desk, older keys accepted until a set time.
#include "server/store/database.hpp"
#include "server/store/records.hpp"

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace signaal::store {

/// Operations on the desk_keys table of an open read-write database. Not thread-safe
/// (one connection, one thread); operator actions, not the hot path.
class desk_keys {
  public:
    explicit desk_keys(database& db) : db_(db) {}

    /// Adds the desk's first current key. Fails if the desk already has a current
    /// key, the key id or public key is already known, or a length is wrong.
    [[nodiscard]] status add_current(std::string_view desk, std::span<const std::uint8_t> key_id,
                                     std::span<const std::uint8_t> public_key,
                                     std::string_view day);

    /// In one transaction: the desk's current key is accepted until
    /// `accept_old_until_unix`, the new key becomes current. Fails (changing
    /// nothing) if the desk has no current key.
    [[nodiscard]] status rotate(std::string_view desk, std::span<const std::uint8_t> key_id,
                                std::span<const std::uint8_t> public_key, std::string_view day,
                                std::int64_t accept_old_until_unix);

    /// Every key, by desk, oldest first.
    [[nodiscard]] result<std::vector<desk_key>> list();

    /// The keys envelopes may name at `now_unix`: current ones (accept_until NULL)
    /// and rotated-out ones with accept_until > now. By desk, oldest first.
    [[nodiscard]] result<std::vector<desk_key>> accepted(std::int64_t now_unix);

  private:
    database& db_;
};

} // namespace signaal::store
