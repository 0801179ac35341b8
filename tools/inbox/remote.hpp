#pragma once
// What every command that talks to the server does first: read --server and
// the key file, open TLS, sign in for this command only (no token is kept on
// disk), and sign out at the end.
#include "tools/inbox/api_client.hpp"
#include "tools/inbox/command.hpp"
#include "tools/inbox/key_ring.hpp"
#include "tools/inbox/passphrase.hpp"
#include "tools/inbox/pins.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace signaal::inbox {

struct remote_options {
    std::string server; // --server URL
    std::filesystem::path key_file;
    std::optional<std::filesystem::path> ca_file;
    passphrase_source passphrase; // for the staff key file
};

/// One signed-in command run. Signs out when it goes.
class remote {
  public:
    /// exit_bad_input for a bad URL, key file or pins file; exit_failure when
    /// the connection or the sign-in fails. The sentence is already on ctx.err.
    static std::unique_ptr<remote> begin(const remote_options& options, context& ctx,
                                         int& exit_code);
    ~remote();
    remote(const remote&) = delete;
    remote& operator=(const remote&) = delete;

    [[nodiscard]] api_client& api() { return *api_; }
    [[nodiscard]] const key_files::staff_key& me() const { return key_; }
    [[nodiscard]] const session& who() const { return session_; }
    [[nodiscard]] pin_store& pins() { return pins_; }
    [[nodiscard]] bool caseworker() const { return session_.role == "caseworker"; }

    /// The trusted desk keys (refusals explained on ctx.err).
    [[nodiscard]] result<key_ring> keys(context& ctx);

    /// For each of the caller's desks whose holders should make a new key
    /// (GET /api/v1/desks/<d> "rotate"), a line on ctx.err.
    void remind_rotations(context& ctx);

  private:
    remote(key_files::staff_key key, std::unique_ptr<api_client> api, pin_store pins);

    key_files::staff_key key_;
    std::unique_ptr<api_client> api_;
    pin_store pins_;
    session session_;
};

/// A report id as typed: 16 bytes of base64url.
[[nodiscard]] bool valid_report_id(std::string_view id);

} // namespace signaal::inbox
