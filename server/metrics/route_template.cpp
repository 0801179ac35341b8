#include "server/metrics/route_template.hpp"

#include <array>

namespace signaal::metrics {
namespace {

// A segment in braces matches any one non-empty segment.
constexpr std::array<std::string_view, 26> templates{
    "/api/v1/config",
    "/api/v1/pow",
    "/api/v1/reports",
    "/api/v1/reports/{id}",
    "/api/v1/reports/{id}/status",
    "/api/v1/reports/{id}/messages",
    "/api/v1/reports/{id}/envelopes",
    "/api/v1/inbox",
    "/api/v1/stats",
    "/api/v1/auth/challenge",
    "/api/v1/auth/staff",
    "/api/v1/auth/logout",
    "/api/v1/auth/mailbox",
    "/api/v1/staff/{id}",
    "/api/v1/desk-keys",
    "/api/v1/desk-keys/grants",
    "/api/v1/desks/{desk}",
    "/api/v1/desks/{desk}/keys",
    "/api/v1/mailbox",
    "/api/v1/mailbox/messages",
    "/api/v1/mailbox/consent",
    "/api/v1/mailbox/reports/{id}",
    "/api/v1/stream",
    "/healthz",
    "/api/other",
    "static",
};
constexpr std::size_t api_other = templates.size() - 2;
constexpr std::size_t static_files = templates.size() - 1;
constexpr std::size_t matched = templates.size() - 2; // the templates matched by shape

std::string_view next_segment(std::string_view& rest) {
    // rest starts after a '/'
    const auto slash = rest.find('/');
    const auto segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    return segment;
}

bool matches(std::string_view pattern, std::string_view path) {
    if (pattern.empty() || path.empty() || pattern.front() != '/' || path.front() != '/') {
        return false;
    }
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    bool more_pattern = true;
    bool more_path = true;
    while (more_pattern && more_path) {
        more_pattern = pattern.find('/') != std::string_view::npos;
        more_path = path.find('/') != std::string_view::npos;
        const auto p = next_segment(pattern);
        const auto s = next_segment(path);
        const bool wildcard = p.size() > 2 && p.front() == '{' && p.back() == '}';
        if (wildcard ? s.empty() : p != s) {
            return false;
        }
    }
    return more_pattern == more_path;
}

} // namespace

std::span<const std::string_view> route_templates() {
    return templates;
}

std::size_t route_index(std::string_view path) {
    for (std::size_t i = 0; i < matched; ++i) {
        if (matches(templates[i], path)) {
            return i;
        }
    }
    return path.starts_with("/api/") ? api_other : static_files;
}

} // namespace signaal::metrics
