#pragma once
// Looks for desk secret keys in files: shows that the server keeps nothing
// that opens a report, whatever the format it might have been written in.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace signaal::testing {

/// The files below `dir` (recursively) that hold the X25519 secret key of one of
/// `public_keys`, either raw at any byte offset or as 43 base64url characters.
/// A candidate is tested by opening a box sealed to each public key with it.
[[nodiscard]] std::vector<std::filesystem::path>
files_with_a_secret_key(const std::filesystem::path& dir,
                        const std::vector<std::vector<std::uint8_t>>& public_keys);

} // namespace signaal::testing
