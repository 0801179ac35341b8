#pragma once
// Desk and staff key files (PROTOCOL.md §10): JSON, mode 0600, base64url values.
// A file is created with O_EXCL and synced before it counts as written, so an
// existing file is never overwritten and a crash never leaves half a key.
#include "crypto/bytes.hpp"
#include "crypto/secret.hpp"
#include "server/common/result.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace signaal::key_files {

constexpr std::string_view desk_key_kind = "signaal-desk-key";
constexpr std::string_view staff_key_kind = "signaal-staff-key";
constexpr std::int64_t key_file_version = 1;        // secrets in the clear (demo, --no-passphrase)
constexpr std::int64_t locked_key_file_version = 2; // secrets sealed under a passphrase

/// {"kind": "signaal-desk-key", "v": 1, "desk", "public_key", "secret_key"}: an offline backup.
struct desk_key {
    std::string desk;
    crypto::bytes public_key;        // X25519, 32 bytes
    crypto::secret_bytes secret_key; // 32 bytes
};

/// {"kind": "signaal-staff-key", "v": 1, "staff", "sign_pk", "sign_sk", "box_pk", "box_sk"}.
struct staff_key {
    std::string staff;
    crypto::bytes sign_pk;        // Ed25519, 32 bytes
    crypto::secret_bytes sign_sk; // libsodium's 64-byte form
    crypto::bytes box_pk;         // X25519, 32 bytes
    crypto::secret_bytes box_sk;  // 32 bytes
};

/// A key read from a file, and whether the file is readable or writable by
/// group or others (the caller warns).
template <class Key> struct loaded_key {
    Key key;
    bool too_open = false;
    bool unlocked_file = false; // v1: the secrets were not locked (the caller warns)
};

/// Writes a new file (O_CREAT|O_EXCL, 0600, fsync of file and folder). Checks
/// ids and lengths first. On any failure, including an existing file (never
/// overwritten), nothing is left behind and the error names the file.
[[nodiscard]] status write_desk_key(const std::filesystem::path& file, const desk_key& key);
[[nodiscard]] status write_staff_key(const std::filesystem::path& file, const staff_key& key);

/// The locked (v2) forms: secrets sealed under `passphrase` (NFC; Argon2id with
/// opslimit 3, memlimit 64 MiB, a fresh salt and nonce). An empty passphrase is refused.
[[nodiscard]] status write_desk_key(const std::filesystem::path& file, const desk_key& key,
                                    std::string_view passphrase);
[[nodiscard]] status write_staff_key(const std::filesystem::path& file, const staff_key& key,
                                     std::string_view passphrase);

/// Reads and checks a file: kind, version, id, every length, and that each
/// secret key belongs to its public key. Unknown fields are ignored.
[[nodiscard]] result<loaded_key<desk_key>> read_desk_key(const std::filesystem::path& file);
[[nodiscard]] result<loaded_key<staff_key>> read_staff_key(const std::filesystem::path& file);

/// As above, and a v2 file opens with `passphrase`: a wrong passphrase and a
/// damaged file get the same error; an id inside that differs from the one
/// outside, and lock parameters out of bounds, are refused.
[[nodiscard]] result<loaded_key<desk_key>>
read_desk_key(const std::filesystem::path& file, std::optional<std::string_view> passphrase);
[[nodiscard]] result<loaded_key<staff_key>>
read_staff_key(const std::filesystem::path& file, std::optional<std::string_view> passphrase);

} // namespace signaal::key_files
