#include "server/api/router.hpp"

#include "server/api/auth_routes.hpp"
#include "server/api/consent_routes.hpp"
#include "server/api/desk_key_routes.hpp"
#include "server/api/errors.hpp"
#include "server/api/mailbox_routes.hpp"
#include "server/api/report_intake.hpp"
#include "server/api/report_routes.hpp"
#include "server/api/stats_routes.hpp"
#include "server/json/json.hpp"

namespace signaal::api {
namespace net = boost::asio;

namespace {

response method_not_allowed(std::string_view allow) {
    auto r = error(405, "method_not_allowed", "This method is not allowed here.");
    r.headers.emplace_back("Allow", std::string(allow));
    return r;
}

response json_document(std::string body) {
    response r;
    r.body = std::move(body);
    return r;
}

} // namespace

bool is_api_path(std::string_view path) {
    return path.starts_with("/api/") || path == "/healthz";
}

net::awaitable<response> route(services& s, request req) {
    // Each area answers its own paths (nullopt: not mine), one line each:
    //   if (auto r = co_await route_<area>(s, req)) { co_return std::move(*r); }
    if (auto r = co_await route_auth(s, req)) {
        co_return std::move(*r);
    }
    if (auto r = co_await route_desk_keys(s, req)) {
        co_return std::move(*r);
    }
    // Before the reports: it answers POST /api/v1/reports/<id>/envelopes.
    if (auto r = co_await route_consent(s, req)) {
        co_return std::move(*r);
    }
    // Before the reports: it answers POST /api/v1/reports/<id>/messages.
    if (auto r = co_await route_mailbox(s, req)) {
        co_return std::move(*r);
    }
    if (auto r = co_await route_reports(s, req)) {
        co_return std::move(*r);
    }
    if (auto r = co_await route_stats(s, req)) {
        co_return std::move(*r);
    }
    const auto& path = req.path;
    const bool get = req.method == "GET";
    if (path == "/api/v1/config") {
        if (!get) {
            co_return method_not_allowed("GET");
        }
        co_return json_document(s.desks.current()->config_json);
    }
    if (path == "/api/v1/pow") {
        if (!get) {
            co_return method_not_allowed("GET");
        }
        co_return s.pow.issue();
    }
    if (path == "/api/v1/reports") {
        if (req.method != "POST") {
            co_return method_not_allowed("POST");
        }
        co_return co_await submit_report(s, req);
    }
    if (path == "/healthz") {
        if (!get) {
            co_return method_not_allowed("GET");
        }
        co_return json_document(json::serialize(json::object{{"status", "ok"}}));
    }
    if (is_api_path(path)) {
        co_return not_found();
    }
    if (!get) {
        co_return method_not_allowed("GET");
    }
    if (auto file = s.files.serve(path, req.accept_encoding)) {
        co_return std::move(*file);
    }
    co_return not_found();
}

} // namespace signaal::api
