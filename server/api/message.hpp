#pragma once
// Transport-neutral request and response: the API handlers never see Beast,
// so they compile fast and test without sockets.
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
    std::string authorization;   // as sent; empty when none
    std::string body;
};

struct response {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string content_encoding; // "br", "gzip" or empty
    bool vary_accept_encoding = false;
    std::vector<std::pair<std::string, std::string>> headers; // extra, e.g. Allow
    std::string body;
};

/// Query parameter lookup (no percent-decoding: every value we accept is plain ASCII).
[[nodiscard]] std::string_view query_param(std::string_view query, std::string_view name);

} // namespace signaal::api
