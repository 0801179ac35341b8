#include "server/api/consent_routes.hpp"

#include "crypto/base64url.hpp"
#include "crypto/consent_signature.hpp"
#include "crypto/sign.hpp"
#include "server/api/authenticate.hpp"
#include "server/api/consent_bodies.hpp"
#include "server/api/errors.hpp"
#include "server/api/report_intake.hpp"
#include "server/api/run_write_job.hpp"
#include "server/json/json.hpp"
#include "server/store/consent_change.hpp"
#include "server/store/forward.hpp"
#include "server/store/mailbox_report.hpp"
#include "server/store/report_readers.hpp"
#include "server/store/report_view.hpp"

#include <memory>

namespace signaal::api {
namespace net = boost::asio;

namespace {

constexpr std::string_view consent_path = "/api/v1/mailbox/consent";
constexpr std::string_view reports_prefix = "/api/v1/reports/";
constexpr std::string_view envelopes_suffix = "/envelopes";
constexpr std::size_t report_id_size = 16;

response method_not_allowed(std::string_view allow) {
    auto r = error(405, "method_not_allowed", "This method is not allowed here.");
    r.headers.emplace_back("Allow", std::string(allow));
    return r;
}

response internal() {
    return error(500, "internal", "The request could not be completed. Please try again.");
}

response stale_change() {
    return error(409, "stale_change",
                 "This change is not the report's next one. Read the mailbox again and sign the "
                 "change with the next number.");
}

response stale_key() {
    return error(409, "stale_key",
                 "An envelope names a desk key that is no longer accepted. "
                 "Fetch /api/v1/config again and seal anew.");
}

response not_pending() {
    return error(422, "consent_violation",
                 "Envelopes are accepted only for desks the reporter added that wait for one.");
}

json::array id_array(const std::vector<std::string>& ids) {
    json::array out;
    for (const auto& id : ids) {
        out.emplace_back(id);
    }
    return out;
}

// Answers are built outside the coroutines: GCC 12 destroys some temporaries
// of a co_await or co_return expression twice.
response readers_answer(const std::vector<std::string>& desks,
                        const std::vector<std::string>& pending) {
    response r;
    r.body =
        json::serialize(json::object{{"desks", id_array(desks)}, {"pending", id_array(pending)}});
    return r;
}

answer_or<json::value> json_body(const request& req) {
    if (!is_json_content_type(req.content_type)) {
        return error(415, "unsupported_media_type", "Send the body as application/json.");
    }
    auto parsed = json::parse(req.body);
    if (!parsed) {
        return bad_request("The body is not valid JSON: " + parsed.error().message);
    }
    return std::move(*parsed);
}

/// The desks the service serves now (configured, with a key) and, of them,
/// those that `category` routes to: what /api/v1/config shows the page.
std::pair<std::vector<std::string>, std::vector<std::string>>
served_desks(const services& s, const std::string& category) {
    const auto snapshot = s.desks.current();
    std::vector<std::string> known, routed;
    for (const auto& d : s.settings.desks) {
        if (snapshot->keys.has_desk(d.id)) {
            known.push_back(d.id);
        }
    }
    if (const auto r = s.settings.routing.find(category); r != s.settings.routing.end()) {
        for (const auto& d : r->second) {
            if (store::among(known, d)) {
                routed.push_back(d);
            }
        }
    }
    return {std::move(known), std::move(routed)};
}

// ---- POST /api/v1/mailbox/consent -------------------------------------------

std::function<status(store::job_context&)>
consent_job(store::consent_change_request request,
            std::shared_ptr<store::consent_change_outcome> outcome) {
    return [request = std::move(request),
            outcome = std::move(outcome)](store::job_context& job) -> status {
        auto applied = store::apply_consent_change(job, request);
        if (!applied) {
            return applied.error();
        }
        *outcome = std::move(*applied);
        return {};
    };
}

net::awaitable<response> change_consent(services& s, const request& req) {
    auto who = authenticate(s.tokens, req, auth::scope::mailbox);
    if (!who) {
        co_return std::move(who.error());
    }
    auto body = json_body(req);
    if (!body) {
        co_return std::move(body.error());
    }
    auto asked = read_consent_change(*body);
    if (!asked) {
        co_return std::move(asked.error());
    }
    const auto& mailbox_pk = who->mailbox_pk;
    auto read = [&mailbox_pk](store::database& db) {
        return store::find_mailbox_report(db, mailbox_pk);
    };
    auto report = co_await s.reads.run(std::move(read));
    if (!report) {
        co_return internal();
    }
    // Only the report of this mailbox: any other id is one that does not exist.
    if (!*report || (*report)->id != asked->report_id) {
        co_return not_found();
    }
    // §7's order: the signature, then (in the writer) the number, then the desks.
    auto& change = asked->change;
    const auto signed_bytes = crypto::consent_signed_bytes(
        crypto::base64url_encode(asked->report_id), static_cast<std::uint64_t>(change.change),
        change.add, change.remove);
    if (!crypto::verify_detached(change.signature, signed_bytes, mailbox_pk)) {
        co_return error(422, "bad_signature",
                        "The signature does not verify with this report's mailbox key.");
    }
    change.day = unix_day(s.time.now_unix());
    auto [known, routed] = served_desks(s, (*report)->category);
    store::consent_change_request request{asked->report_id, mailbox_pk, std::move(change),
                                          std::move(known), std::move(routed)};
    auto outcome = std::make_shared<store::consent_change_outcome>();
    auto job = consent_job(std::move(request), outcome);
    const auto written = co_await run_write_job(s.reports, std::move(job));
    if (!written) {
        co_return internal();
    }
    using kind = store::consent_change_outcome::kind;
    switch (outcome->what) {
    case kind::not_found:
        co_return not_found();
    case kind::stale_change:
        co_return stale_change();
    case kind::unknown_desk:
        co_return error(422, "unknown_desk", "A desk in the change is not one this service knows.");
    case kind::consent_violation:
        co_return error(422, "consent_violation", outcome->why);
    case kind::applied:
        break;
    }
    co_return readers_answer(outcome->desks, outcome->pending);
}

// ---- POST /api/v1/reports/<id>/envelopes ------------------------------------

enum class forward_check { go_on, not_found, forbidden, not_pending };

std::function<status(store::job_context&)>
forward_job(store::forward_request request, std::shared_ptr<store::forward_outcome> outcome) {
    return [request = std::move(request),
            outcome = std::move(outcome)](store::job_context& job) -> status {
        auto applied = store::apply_forward(job, request);
        if (!applied) {
            return applied.error();
        }
        *outcome = std::move(*applied);
        return {};
    };
}

net::awaitable<response> forward(services& s, const request& req, std::string_view id_text) {
    auto caller = authenticate_caseworker(s.tokens, req);
    if (!caller) {
        co_return std::move(caller.error());
    }
    auto body = json_body(req);
    if (!body) {
        co_return std::move(body.error());
    }
    auto envelopes = read_forward_envelopes(*body);
    if (!envelopes) {
        co_return std::move(envelopes.error());
    }
    auto id = crypto::base64url_decode_exact(id_text, report_id_size);
    if (!id) {
        co_return not_found();
    }
    // The checks before the key ids, in §7's order: who may, then which desks.
    const auto& report_id = *id;
    const auto& desks = caller->desks;
    const auto& wanted = *envelopes;
    auto read = [&report_id, &desks, &wanted](store::database& db) -> result<forward_check> {
        auto routed = store::find_routed_report(db, report_id, desks);
        if (!routed) {
            return routed.error();
        }
        if (!*routed) {
            return forward_check::not_found;
        }
        if ((*routed)->reader_desks.empty()) {
            return forward_check::forbidden;
        }
        auto readers = store::read_report_readers(db, (*routed)->no);
        if (!readers) {
            return readers.error();
        }
        for (const auto& e : wanted) {
            if (!store::among(readers->pending, e.desk)) {
                return forward_check::not_pending;
            }
        }
        return forward_check::go_on;
    };
    auto checked = co_await s.reads.run(std::move(read));
    if (!checked) {
        co_return internal();
    }
    switch (*checked) {
    case forward_check::not_found:
        co_return not_found();
    case forward_check::forbidden:
        co_return error(403, "forbidden",
                        "Your desk waits for this report: a desk that holds it seals it to you.");
    case forward_check::not_pending:
        co_return not_pending();
    case forward_check::go_on:
        break;
    }
    const auto now = s.time.now_unix();
    const auto snapshot = s.desks.current();
    for (const auto& e : *envelopes) {
        if (!snapshot->keys.accepts(e.desk, e.key_id, now)) {
            co_return stale_key();
        }
    }
    store::forward_request request{*id, caller->desks, std::move(*envelopes), unix_day(now),
                                   caller->staff_id};
    auto outcome = std::make_shared<store::forward_outcome>();
    auto job = forward_job(std::move(request), outcome);
    const auto written = co_await run_write_job(s.reports, std::move(job));
    if (!written) {
        co_return internal();
    }
    using kind = store::forward_outcome::kind;
    switch (outcome->what) {
    case kind::not_found:
        co_return not_found();
    case kind::forbidden:
        co_return error(403, "forbidden",
                        "Your desk waits for this report: a desk that holds it seals it to you.");
    case kind::not_pending:
        co_return not_pending();
    case kind::forwarded:
        break;
    }
    co_return readers_answer(outcome->desks, outcome->pending);
}

} // namespace

// GCC 12 at -O2 warns that the coroutine frame's operator delete does not match
// its allocation (-Wmismatched-new-delete) for this function: a false positive
// on Asio's awaitable_frame, as in stats_routes.cpp and report_intake.cpp.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
net::awaitable<std::optional<response>> route_consent(services& s, const request& req) {
    const std::string_view path = req.path;
    if (path == consent_path) {
        if (req.method != "POST") {
            co_return method_not_allowed("POST");
        }
        co_return co_await change_consent(s, req);
    }
    if (path.starts_with(reports_prefix) && path.ends_with(envelopes_suffix)) {
        const auto id = path.substr(reports_prefix.size(),
                                    path.size() - reports_prefix.size() - envelopes_suffix.size());
        if (!id.empty() && id.find('/') == std::string_view::npos) {
            if (req.method != "POST") {
                co_return method_not_allowed("POST");
            }
            co_return co_await forward(s, req, id);
        }
    }
    co_return std::nullopt;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

} // namespace signaal::api
