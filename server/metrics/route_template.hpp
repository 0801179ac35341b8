#pragma once
// The route a request path belongs to, as its template: ids, desks and tokens
// become {id} and {desk}, so no label ever holds a value a request sent.
#include <cstddef>
#include <span>
#include <string_view>

namespace signaal::metrics {

/// Every template, in index order; the last two are "/api/other" (an unknown
/// API path) and "static" (the pages and their files).
[[nodiscard]] std::span<const std::string_view> route_templates();

/// The index of `path`'s template in route_templates().
[[nodiscard]] std::size_t route_index(std::string_view path);

} // namespace signaal::metrics
