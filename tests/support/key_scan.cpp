#include "tests/support/key_scan.hpp"

#include "crypto/base64url.hpp"
#include "crypto/box.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>

namespace signaal::testing {
namespace {

constexpr std::size_t key_size = crypto::box_secret_key_size;
constexpr std::size_t encoded_size = 43; // base64url of 32 bytes, unpadded

std::vector<std::uint8_t> read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// 32 random bytes show about 28 distinct values; fewer than 16 is so unlikely for
// a key that skipping such windows (zero fill, page headers, text) loses nothing.
bool could_be_random(const std::uint8_t* p) {
    std::bitset<256> seen;
    for (std::size_t i = 0; i < key_size; ++i) {
        seen.set(p[i]);
    }
    return seen.count() >= 16;
}

bool is_base64url(std::uint8_t c) {
    return std::isalnum(c) != 0 || c == '-' || c == '_';
}

struct probe {
    std::vector<std::uint8_t> public_key;
    std::vector<std::uint8_t> sealed;
};

} // namespace

std::vector<std::filesystem::path>
files_with_a_secret_key(const std::filesystem::path& dir,
                        const std::vector<std::vector<std::uint8_t>>& public_keys) {
    const std::array<std::uint8_t, 4> message{'s', 'c', 'a', 'n'};
    std::vector<probe> probes;
    for (const auto& pk : public_keys) {
        probes.push_back({pk, crypto::seal(message, pk)});
    }
    crypto::secret_bytes candidate(key_size);
    const auto opens_a_probe = [&](const std::uint8_t* p) {
        std::memcpy(candidate.data(), p, key_size);
        for (const auto& probe : probes) {
            if (crypto::seal_open(probe.sealed, probe.public_key, candidate)) {
                return true;
            }
        }
        return false;
    };

    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        auto bytes = read_all(entry.path());
        bool holds = false;
        for (std::size_t at = 0; !holds && at + key_size <= bytes.size(); ++at) {
            holds = could_be_random(&bytes[at]) && opens_a_probe(&bytes[at]);
        }
        for (std::size_t at = 0; !holds && at + encoded_size <= bytes.size(); ++at) {
            if (!std::all_of(&bytes[at], &bytes[at] + encoded_size, is_base64url)) {
                continue;
            }
            const std::string text(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                                   bytes.begin() + static_cast<std::ptrdiff_t>(at + encoded_size));
            if (auto decoded = crypto::base64url_decode_exact(text, key_size)) {
                holds = opens_a_probe(decoded->data());
                crypto::wipe(*decoded);
            }
        }
        crypto::wipe(bytes);
        if (holds) {
            found.push_back(entry.path());
        }
    }
    return found;
}

} // namespace signaal::testing
