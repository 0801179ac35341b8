#pragma once
// Transport-neutral request and response: the API handlers never see Beast,
// so they compile fast and test without sockets.
#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace signaal::api {

struct request {
    std::string method;          // "GET", "POST", ...
    std::string path;            // target without the query
    std::string query;           // after '?', undecoded; empty when none
    std::string content_type;    // as sent; empty when none
    std::string accept_encoding; // as sent; empty when none
    std::string body;
    std::string authorization; // as sent ("Bearer <token>"); empty when none
};

struct response {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string content_encoding; // "br", "gzip" or empty
    bool vary_accept_encoding = false;
    std::vector<std::pair<std::string, std::string>> headers; // extra, e.g. Allow
    std::string body;
};

/// A value, or the answer that refuses the request (PROTOCOL.md §2): the project's
/// one result type (boost::system::result), with a whole answer as its error.
template <class T> using answer_or = boost::system::result<T, response>;

/// `value()` on a refusal is a bug, not a path.
[[noreturn]] inline void throw_exception_from_error(const response& refusal,
                                                    const boost::source_location&) {
    throw std::logic_error("a refused request has no value (status " +
                           std::to_string(refusal.status) + ")");
}

/// Query parameter lookup (no percent-decoding: every value we accept is plain ASCII).
[[nodiscard]] std::string_view query_param(std::string_view query, std::string_view name);

/// As query_param, but tells an absent parameter (nullopt) from an empty one ("").
[[nodiscard]] std::optional<std::string_view> query_value(std::string_view query,
                                                          std::string_view name);

} // namespace signaal::api
