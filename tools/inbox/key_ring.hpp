#pragma once
// The desk keys granted to this caseworker, trusted only after the client's
// own checks (PROTOCOL.md §6): the grant's signature verifies with the
// granter's sign_pk, the unwrapped secret's public key equals the served one
// and has the served key id, and the fingerprint is pinned (or, asked on a
// terminal, accepted now). Nothing is trusted on the server's word.
#include "crypto/secret.hpp"
#include "tools/common/key_files.hpp"
#include "tools/inbox/api_client.hpp"
#include "tools/inbox/command.hpp"
#include "tools/inbox/pins.hpp"

#include <map>
#include <string>
#include <vector>

namespace signaal::inbox {

struct desk_key {
    std::string desk;
    std::string key_id; // base64url
    crypto::bytes public_key;
    crypto::secret_bytes secret_key;
    std::string fingerprint;
    std::string granted_by;
};

class key_ring {
  public:
    /// A trusted key of `desk` with that id, or nullptr.
    [[nodiscard]] const desk_key* find(const std::string& desk, const std::string& key_id) const;
    [[nodiscard]] std::vector<const desk_key*> of_desk(const std::string& desk) const;
    [[nodiscard]] const std::vector<desk_key>& all() const { return keys_; }
    void add(desk_key key) { keys_.push_back(std::move(key)); }

    /// Keys that failed a check, each explained on ctx.err when loaded.
    int refused = 0;

  private:
    std::vector<desk_key> keys_;
};

/// Caches colleagues' public keys (GET /api/v1/staff/<id>) for one command.
class staff_directory {
  public:
    explicit staff_directory(api_client& api) : api_(api) {}
    struct entry {
        std::string role;
        std::vector<std::string> desks;
        crypto::bytes sign_pk;
        crypto::bytes box_pk;
    };
    [[nodiscard]] result<entry> find(const std::string& staff);

  private:
    api_client& api_;
    std::map<std::string, entry> known_;
};

/// Fetches GET /api/v1/desk-keys and keeps what passes every check; each refusal
/// is a sentence on ctx.err. New keys are asked about on the terminal (and
/// refused without one); accepted ones are pinned at once.
[[nodiscard]] result<key_ring> load_key_ring(api_client& api, const key_files::staff_key& me,
                                             const std::vector<std::string>& my_desks,
                                             pin_store& pins, context& ctx);

} // namespace signaal::inbox
