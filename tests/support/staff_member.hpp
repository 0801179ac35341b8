#pragma once
// A staff member for end-to-end tests: key pairs made here, a record in the
// instance's database (as signaal-admin staff add makes it), and the sign-in
// of PROTOCOL.md §6 over a real connection.
#include "crypto/box.hpp"
#include "crypto/sign.hpp"
#include "tests/support/https_client.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace signaal::testing {

struct staff_member {
    std::string id;
    std::string role = "caseworker";
    std::vector<std::string> desks;
    crypto::sign_keypair sign = crypto::sign_keygen();
    crypto::box_keypair box = crypto::box_keygen();

    /// Adds the record (enabled) to the database with a connection of its own.
    void add_to(const std::filesystem::path& database) const;

    /// The signature of a sign-in to `origin` over `challenge` (32 raw bytes).
    [[nodiscard]] std::vector<std::uint8_t> sign_in_signature(const std::string& origin,
                                                              crypto::byte_view challenge) const;
};

/// POST /api/v1/auth/challenge and the 32 raw bytes it gave.
[[nodiscard]] std::vector<std::uint8_t> fetch_challenge(https_client& client);

/// POST /api/v1/auth/staff with `challenge` signed for `origin` by `who`, as `staff_id`.
[[nodiscard]] http_reply post_sign_in(https_client& client, const staff_member& who,
                                      const std::string& staff_id, const std::string& origin,
                                      crypto::byte_view challenge);

/// A fresh challenge, signed for `origin`: the whole sign-in, the reply as it came.
[[nodiscard]] http_reply sign_in(https_client& client, const staff_member& who,
                                 const std::string& origin);

/// The token of a sign-in that must succeed.
[[nodiscard]] std::string signed_in_token(https_client& client, const staff_member& who,
                                          const std::string& origin);

/// A request with `Authorization: Bearer <token>`.
[[nodiscard]] http_reply with_token(https_client& client, const std::string& method,
                                    const std::string& target, const std::string& token,
                                    const std::string& json_body = {});

} // namespace signaal::testing
