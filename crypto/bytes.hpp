#pragma once
// Plain byte containers shared by every crypto helper.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace signaal::crypto {

using bytes = std::vector<std::uint8_t>;
using byte_view = std::span<const std::uint8_t>;

inline byte_view as_bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

} // namespace signaal::crypto
