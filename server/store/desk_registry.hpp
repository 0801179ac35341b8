#pragma once
// Registered desks, their named holders, their keys and the grants of those
// keys (PROTOCOL.md §6): bytes in, bytes out, no crypto. The signatures are
// checked by the caller before anything is written here.
#include "server/store/database.hpp"
#include "server/store/records.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace signaal::store {

/// A desk key sealed to one staff member, signed by the one who granted it.
struct key_grant {
    std::string desk;
    std::vector<std::uint8_t> key_id; // 8 bytes
    std::string to;
    std::vector<std::uint8_t> wrapped; // 80 bytes: crypto_box_seal of the 32-byte secret
    std::string by;
    std::vector<std::uint8_t> signature; // 64 bytes, Ed25519

    friend bool operator==(const key_grant&, const key_grant&) = default;
};

/// A grant with the public key it unlocks (GET /api/v1/desk-keys).
struct granted_key {
    key_grant grant;
    std::vector<std::uint8_t> public_key; // 32 bytes
};

/// What a desk's holders need to know before they grant or rotate
/// (GET /api/v1/desks/<desk>).
struct desk_state {
    std::string desk;
    bool registered = false;
    std::vector<std::string> caseworkers;   // active caseworkers of the desk, sorted
    std::vector<std::string> named_holders; // as the operator named them, sorted
    /// Active caseworkers granted the current key; while there are none, the
    /// named holders who are active caseworkers (who may make the next key).
    std::vector<std::string> holders;
    bool held = false; // some active caseworker holds the current key
    std::optional<desk_key> current;
    /// A grantee of the current key was disabled or left the desk since.
    bool rotate = false;
};

/// One registered desk for `signaal-admin desk list`.
struct registered_desk {
    std::string desk;
    std::vector<std::string> named_holders;
};

/// Operations on an open database. None opens a transaction of its own: the
/// caller runs a change inside one (a writer job's savepoint, or the admin
/// command's transaction), so a refused step leaves nothing behind.
class desk_registry {
  public:
    explicit desk_registry(database& db) : db_(db) {}

    /// Registers `desk` (once) and adds the named holders (again is no change).
    [[nodiscard]] status register_desk(std::string_view desk,
                                       const std::vector<std::string>& holders);

    /// Every registered desk with its named holders, by desk.
    [[nodiscard]] result<std::vector<registered_desk>> list();

    [[nodiscard]] result<desk_state> state(std::string_view desk);

    /// Active caseworkers of `desk`, sorted (staff records: role caseworker,
    /// that desk among theirs, not disabled).
    [[nodiscard]] result<std::vector<std::string>> caseworkers(std::string_view desk);

    /// A staff member's Ed25519 public key; nullopt for an unknown or disabled one.
    [[nodiscard]] result<std::optional<std::vector<std::uint8_t>>>
    active_sign_key(std::string_view staff);

    /// The desk a key id belongs to; nullopt for an unknown key id.
    [[nodiscard]] result<std::optional<desk_key>> key(std::span<const std::uint8_t> key_id);

    /// Is there a grant of `key_id` to `staff`?
    [[nodiscard]] result<bool> has_grant(std::span<const std::uint8_t> key_id,
                                         std::string_view staff);

    /// `public_key` becomes the desk's current key; the previous current key
    /// stays accepted until `accept_old_until` (unix seconds) and stays listed.
    [[nodiscard]] status add_key(std::string_view desk, std::span<const std::uint8_t> key_id,
                                 std::span<const std::uint8_t> public_key, std::string_view day,
                                 std::int64_t accept_old_until);

    /// Stores a grant; a later grant of the same key to the same person replaces it.
    [[nodiscard]] status add_grant(const key_grant& grant);

    /// Every key of `desks` granted to `staff`, oldest key first within a desk.
    [[nodiscard]] result<std::vector<granted_key>>
    keys_granted_to(std::string_view staff, const std::vector<std::string>& desks);

  private:
    database& db_;
};

} // namespace signaal::store
