#pragma once
// The desk keys the server accepts, as the request handlers see them.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace signaal::api {

struct desk_public_key {
    std::vector<std::uint8_t> key_id;     // 8 bytes
    std::vector<std::uint8_t> public_key; // 32 bytes
};

struct accepted_key_id {
    std::vector<std::uint8_t> key_id;         // 8 bytes
    std::optional<std::int64_t> accept_until; // unix seconds; nullopt: the current key
    std::vector<std::uint8_t> public_key;     // 32 bytes (config's previous_keys)
};

struct desk_keys_view {
    /// Each desk's current key: the one served in /api/v1/config.
    std::map<std::string, desk_public_key, std::less<>> current;
    /// Every accepted key id per desk: the current one and those rotated out
    /// whose grace period had not ended when the view was read.
    std::map<std::string, std::vector<accepted_key_id>, std::less<>> accepted;

    [[nodiscard]] bool has_desk(std::string_view desk) const { return current.contains(desk); }
    /// Is `key_id` one of this desk's keys at `now_unix`? A rotated-out key's grace
    /// ends at its accept_until exactly, however old the view is.
    [[nodiscard]] bool accepts(std::string_view desk, const std::vector<std::uint8_t>& key_id,
                               std::int64_t now_unix) const;
};

} // namespace signaal::api
