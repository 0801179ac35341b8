#pragma once
// The desk keys this caseworker has accepted, by fingerprint (PROTOCOL.md §6):
// a JSON file beside the staff key file (FILE.pins.json, mode 0600). A key the
// file does not know is shown and asked about; a key id whose public key
// differs from the pinned one is refused.
//   {"kind": "signaal-desk-pins", "v": 1,
//    "desks": {"care": [{"key_id", "fingerprint", "granted_by"}]}}
#include "server/common/result.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace signaal::inbox {

struct pin {
    std::string key_id; // base64url, 8 bytes
    std::string fingerprint;
    std::string granted_by;
};

enum class pin_verdict {
    pinned,  // accepted before: trusted
    unknown, // never seen: ask
    changed, // the key id is pinned with another fingerprint: refuse
};

class pin_store {
  public:
    /// The file beside a staff key file.
    [[nodiscard]] static std::filesystem::path beside(const std::filesystem::path& key_file);
    /// Reads the file; a missing file is an empty store; a damaged one is an error
    /// (never silently start trusting afresh).
    [[nodiscard]] static result<pin_store> load(const std::filesystem::path& file);

    [[nodiscard]] pin_verdict check(const std::string& desk, const std::string& key_id,
                                    const std::string& fingerprint) const;
    /// The pinned fingerprint of a key id, for the refusal message.
    [[nodiscard]] std::string pinned_fingerprint(const std::string& desk,
                                                 const std::string& key_id) const;
    void add(const std::string& desk, pin p);
    /// Writes a temporary file (0600), syncs it, and renames it over the old one.
    [[nodiscard]] status save() const;
    [[nodiscard]] const std::filesystem::path& file() const { return file_; }

  private:
    std::filesystem::path file_;
    std::map<std::string, std::vector<pin>> desks_;
};

} // namespace signaal::inbox
