#pragma once
// JSON through Boost.JSON (PROTOCOL.md §1). The values are boost::json's own;
// this header adds the strict parser the protocol asks for (valid UTF-8 only,
// nesting at most 32 deep, no key repeated in one object) and a writer that
// never emits invalid JSON.
#include "server/common/result.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace signaal::json {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr std::size_t default_max_depth = 32;

/// Parses exactly one JSON text (surrounding whitespace allowed). The error is
/// a fixed sentence that never echoes the input, safe to show a client.
[[nodiscard]] result<value> parse(std::string_view text, std::size_t max_depth = default_max_depth);

/// Compact serialisation by Boost.JSON, members in insertion order. Values
/// built in code that JSON cannot hold are repaired first: broken UTF-8
/// becomes U+FFFD, NaN and infinity become null.
[[nodiscard]] std::string serialize(const value& v);

/// Member lookup; nullptr when absent or when `v` is not an object.
[[nodiscard]] inline const value* find(const value& v, std::string_view key) {
    const auto* o = v.if_object();
    return o == nullptr ? nullptr : o->if_contains(key);
}

} // namespace signaal::json
