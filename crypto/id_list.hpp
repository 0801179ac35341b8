#pragma once
// Lists of ids as signed and authenticated bytes: sorted bytewise, joined with ','.
#include <span>
#include <string>

namespace signaal::crypto {

/// join(",", sorted(items)), bytewise order; the input is left as it was.
[[nodiscard]] std::string join_sorted(std::span<const std::string> items);

} // namespace signaal::crypto
