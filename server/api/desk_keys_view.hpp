#pragma once
// The desk keys the server accepts right now, as the request handlers see them.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace signaal::api {

struct desk_public_key {
    std::vector<std::uint8_t> key_id;     // 8 bytes
    std::vector<std::uint8_t> public_key; // 32 bytes
};

struct desk_keys_view {
    /// Each desk's current key: the one served in /api/v1/config.
    std::map<std::string, desk_public_key, std::less<>> current;
    /// Every accepted key id per desk: the current one and those still in their grace period.
    std::map<std::string, std::vector<std::vector<std::uint8_t>>, std::less<>> accepted;

    [[nodiscard]] bool has_desk(std::string_view desk) const { return current.contains(desk); }
    [[nodiscard]] bool accepts(std::string_view desk,
                               const std::vector<std::uint8_t>& key_id) const;
};

} // namespace signaal::api
