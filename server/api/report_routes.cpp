#include "server/api/report_routes.hpp"

#include "crypto/base64url.hpp"
#include "server/api/authenticate.hpp"
#include "server/api/consent_document.hpp"
#include "server/api/errors.hpp"
#include "server/api/message_document.hpp"
#include "server/api/report_intake.hpp"
#include "server/api/run_write_job.hpp"
#include "server/json/json.hpp"
#include "server/store/audit_log.hpp"
#include "server/store/desk_events.hpp"
#include "server/store/report_view.hpp"
#include "server/store/status_change.hpp"

#include <algorithm>
#include <charconv>
#include <memory>

namespace signaal::api {
namespace net = boost::asio;

namespace {

constexpr std::string_view inbox_path = "/api/v1/inbox";
constexpr std::string_view reports_prefix = "/api/v1/reports/";
constexpr std::size_t report_id_size = 16;
constexpr std::int64_t default_limit = 100;
constexpr std::int64_t max_limit = 1000;

response method_not_allowed(std::string_view allow) {
    auto r = error(405, "method_not_allowed", "This method is not allowed here.");
    r.headers.emplace_back("Allow", std::string(allow));
    return r;
}

response forbidden(std::string_view message) {
    return error(403, "forbidden", message);
}

response internal() {
    return error(500, "internal", "The request could not be completed. Please try again.");
}

// Plain decimal digits only (no sign, no space), at most what an int64 holds.
std::optional<std::int64_t> whole_number(std::string_view text) {
    std::int64_t n = 0;
    if (text.empty() || text.front() < '0' || text.front() > '9') {
        return std::nullopt;
    }
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return n;
}

json::array id_array(const std::vector<std::string>& ids) {
    json::array a;
    for (const auto& id : ids) {
        a.emplace_back(id);
    }
    return a;
}

json::object status_object(const std::map<std::string, std::string>& status) {
    json::object o;
    for (const auto& [desk, value] : status) {
        o[desk] = value;
    }
    return o;
}

// PROTOCOL.md §6: the stored fields of §5, flat, as the reader's desks see them.
json::object report_document(const store::report_view& v) {
    json::object doc{
        {"id", crypto::base64url_encode(v.id)},
        {"received_day", v.received_day},
        {"role", v.role},
        {"category", v.category},
        {"consent", id_array(v.consent)},
        {"desks", id_array(v.desks)},
        {"sealed_consent", id_array(v.sealed_consent)},
        {"sealed_desks", id_array(v.sealed_desks)},
        {"pending", id_array(v.pending)},
        {"consent_changes", consent_change_list(v.consent_changes)},
    };
    if (!v.nonce.empty()) {
        doc["nonce"] = crypto::base64url_encode(v.nonce);
        doc["ciphertext"] = crypto::base64url_encode(v.ciphertext);
        json::object envelopes;
        for (const auto& e : v.envelopes) {
            envelopes[e.desk] = json::object{{"key_id", crypto::base64url_encode(e.key_id)},
                                             {"sealed", crypto::base64url_encode(e.sealed)}};
        }
        doc["envelopes"] = std::move(envelopes);
    }
    const bool mailbox = !v.reply_mailbox_pk.empty();
    doc["mailbox"] = mailbox;
    if (mailbox) {
        doc["reply_box_pk"] = crypto::base64url_encode(v.reply_box_pk);
        doc["reply_mailbox_pk"] = crypto::base64url_encode(v.reply_mailbox_pk);
    }
    doc["status"] = status_object(v.status);
    doc["messages"] = message_list(v.messages, v.id);
    return doc;
}

// Answers are built outside the coroutines: GCC 12 destroys some temporaries
// of a co_await or co_return expression twice (seen as a double free).
response json_document(const json::value& doc) {
    response r;
    r.body = json::serialize(doc);
    return r;
}

response inbox_answer(const std::vector<store::event_record>& events, std::int64_t after) {
    json::array list;
    for (const auto& e : events) {
        list.emplace_back(json::object{{"seq", e.seq},
                                       {"desk", e.desk},
                                       {"report_id", crypto::base64url_encode(e.report_id)},
                                       {"kind", e.kind}});
    }
    // The last seq returned, or `after` when none are (PROTOCOL.md §6).
    const std::int64_t last_seq = events.empty() ? after : events.back().seq;
    return json_document(json::object{{"events", std::move(list)}, {"last_seq", last_seq}});
}

response report_answer(const store::report_view& view) {
    return json_document(report_document(view));
}

response status_answer(const std::map<std::string, std::string>& status) {
    return json_document(json::object{{"status", status_object(status)}});
}

// Writer jobs, made outside the coroutines for the same reason: they run on
// the writer thread and own copies of what they need.
std::function<status(store::job_context&)>
audit_opening(const std::string& staff_id, const std::vector<std::uint8_t>& id, std::string day) {
    store::audit_entry opened{std::move(day), staff_id, store::audit_action::report_opened, id};
    return [opened = std::move(opened)](store::job_context& job) {
        store::audit_log audit(job.db());
        return audit.append(opened);
    };
}

std::function<status(store::job_context&)>
change_job(const auth::principal& caller, const std::vector<std::uint8_t>& id,
           std::string_view desk, std::string_view wanted, std::int64_t day,
           std::shared_ptr<store::status_change_outcome> outcome) {
    store::status_change change{id,  std::string(desk), std::string(wanted), caller.desks,
                                day, caller.staff_id};
    return [change = std::move(change),
            outcome = std::move(outcome)](store::job_context& job) -> status {
        auto applied = store::apply_status_change(job, change);
        if (!applied) {
            return applied.error();
        }
        *outcome = std::move(*applied);
        return {};
    };
}

net::awaitable<response> inbox(services& s, const request& req) {
    if (req.method != "GET") {
        co_return method_not_allowed("GET");
    }
    auto caller = authenticate_caseworker(s.tokens, req);
    if (!caller) {
        co_return std::move(caller.error());
    }
    const auto desk = query_value(req.query, "desk");
    if (!desk || desk->empty()) {
        co_return bad_request("Name the desk: /api/v1/inbox?desk=<id>.");
    }
    if (!caller->holds_desk(*desk)) {
        co_return forbidden("This desk is not one of yours.");
    }
    std::int64_t after = 0;
    if (const auto text = query_value(req.query, "after")) {
        const auto n = whole_number(*text);
        if (!n) {
            co_return bad_request("after must be a whole number of 0 or more.");
        }
        after = *n;
    }
    std::int64_t limit = default_limit;
    if (const auto text = query_value(req.query, "limit")) {
        const auto n = whole_number(*text);
        if (!n || *n < 1 || *n > max_limit) {
            co_return bad_request("limit must be a whole number from 1 to 1000.");
        }
        limit = *n;
    }

    const std::string desk_id(*desk);
    auto read = [&](store::database& db) {
        return store::read_desk_events(db, desk_id, after, limit);
    };
    auto events = co_await s.reads.run(std::move(read));
    if (!events) {
        co_return internal();
    }
    co_return inbox_answer(*events, after);
}

net::awaitable<response> open_report(services& s, const auth::principal& caller,
                                     const std::vector<std::uint8_t>& id) {
    auto read = [&](store::database& db) { return store::read_report_view(db, id, caller.desks); };
    auto view = co_await s.reads.run(std::move(read));
    if (!view) {
        co_return internal();
    }
    if (!*view) {
        co_return not_found();
    }
    // Served only once the audit trail durably says who opened it.
    auto job = audit_opening(caller.staff_id, id, utc_day(s.time.now_unix()));
    const auto audited = co_await run_write_job(s.reports, std::move(job));
    if (!audited) {
        co_return internal();
    }
    co_return report_answer(**view);
}

net::awaitable<response> change_status(services& s, const auth::principal& caller,
                                       const std::optional<std::vector<std::uint8_t>>& id,
                                       const request& req) {
    if (!is_json_content_type(req.content_type)) {
        co_return error(415, "unsupported_media_type", "Send the body as application/json.");
    }
    const auto parsed = json::parse(req.body);
    if (!parsed) {
        co_return bad_request("The body is not valid JSON: " + parsed.error().message);
    }
    const auto* desk = json::find(*parsed, "desk");
    const auto* wanted = json::find(*parsed, "status");
    if (desk == nullptr || !desk->is_string() || wanted == nullptr || !wanted->is_string()) {
        co_return bad_request("The body needs \"desk\" and \"status\", both strings.");
    }
    if (!store::is_report_status(wanted->get_string())) {
        co_return bad_request("status must be new, acknowledged, in_progress or closed.");
    }
    if (!caller.holds_desk(desk->get_string())) {
        co_return bad_request("This desk is not one of yours.");
    }
    // A malformed id is a report that does not exist: checked in the same place.
    if (!id) {
        co_return not_found();
    }

    auto outcome = std::make_shared<store::status_change_outcome>();
    auto job = change_job(caller, *id, desk->get_string(), wanted->get_string(),
                          unix_day(s.time.now_unix()), outcome);
    const auto stored = co_await run_write_job(s.reports, std::move(job));
    if (!stored) {
        co_return internal();
    }
    using kind = store::status_change_outcome::kind;
    switch (outcome->what) {
    case kind::not_found:
        co_return not_found();
    case kind::not_routed:
        co_return bad_request("This report is not routed to that desk.");
    case kind::forbidden:
        co_return forbidden("Your desk waits for this report: it has no status there yet.");
    case kind::changed:
    case kind::unchanged:
        break;
    }
    co_return status_answer(outcome->status);
}

net::awaitable<response> report(services& s, const request& req) {
    // /api/v1/reports/<id>[/<what>]
    const std::string_view rest = std::string_view(req.path).substr(reports_prefix.size());
    const auto slash = rest.find('/');
    const auto id_text = rest.substr(0, slash);
    const auto what = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);

    const bool view_path = what.empty();
    const bool status_path = what == "/status";
    if (view_path && req.method != "GET") {
        co_return method_not_allowed("GET");
    }
    if (status_path && req.method != "POST") {
        co_return method_not_allowed("POST");
    }
    auto caller = authenticate_caseworker(s.tokens, req);
    if (!caller) {
        co_return std::move(caller.error());
    }
    std::optional<std::vector<std::uint8_t>> id;
    if (auto bytes = crypto::base64url_decode_exact(id_text, report_id_size)) {
        id.emplace(bytes->begin(), bytes->end());
    }
    if (view_path) {
        if (!id) {
            co_return not_found();
        }
        co_return co_await open_report(s, *caller, *id);
    }
    if (status_path) {
        co_return co_await change_status(s, *caller, id, req);
    }
    co_return not_found();
}

} // namespace

net::awaitable<std::optional<response>> route_reports(services& s, const request& req) {
    if (req.path == inbox_path) {
        co_return co_await inbox(s, req);
    }
    if (req.path.starts_with(reports_prefix)) {
        co_return co_await report(s, req);
    }
    co_return std::nullopt;
}

} // namespace signaal::api
