#pragma once
// The key that locks a key file, from a passphrase (PROTOCOL.md §10):
// crypto_pwhash (Argon2id) of the NFC form of the passphrase.
#include "crypto/secret.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace signaal::crypto {

constexpr std::string_view lock_kdf = "argon2id13";
constexpr std::size_t lock_salt_size = 16;
constexpr std::size_t lock_key_size = 32;
/// What writers use.
constexpr std::uint64_t lock_write_opslimit = 3;
constexpr std::uint64_t lock_write_memlimit = 64ULL * 1024 * 1024;
/// What readers accept: a crafted file must not exhaust the reader.
constexpr std::uint64_t lock_min_opslimit = 1;
constexpr std::uint64_t lock_max_opslimit = 10;
constexpr std::uint64_t lock_min_memlimit = 8ULL * 1024 * 1024;
constexpr std::uint64_t lock_max_memlimit = 256ULL * 1024 * 1024;

struct lock_params {
    std::uint64_t opslimit = lock_write_opslimit;
    std::uint64_t memlimit = lock_write_memlimit;
    bytes salt; // lock_salt_size
};

/// The writer's parameters with a fresh random salt.
[[nodiscard]] lock_params new_lock_params();

/// Within the readers' bounds, with a salt of the right size?
[[nodiscard]] bool lock_params_acceptable(const lock_params& params);

/// nullopt for an empty passphrase, one that is not UTF-8, parameters out of
/// bounds, or when Argon2id cannot run (out of memory).
[[nodiscard]] std::optional<secret_bytes> lock_key(std::string_view passphrase,
                                                   const lock_params& params);

} // namespace signaal::crypto
