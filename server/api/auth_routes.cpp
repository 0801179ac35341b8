#include "server/api/auth_routes.hpp"

#include "crypto/base64url.hpp"
#include "server/api/authenticate.hpp"
#include "server/api/errors.hpp"
#include "server/api/report_intake.hpp"
#include "server/api/sign_in_check.hpp"
#include "server/config/settings.hpp"
#include "server/json/json.hpp"
#include "server/store/audit_log.hpp"
#include "server/store/staff_records.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace signaal::api {
namespace net = boost::asio;

namespace {

constexpr std::string_view staff_prefix = "/api/v1/staff/";

response method_not_allowed(std::string_view allow) {
    auto r = error(405, "method_not_allowed", "This method is not allowed here.");
    r.headers.emplace_back("Allow", std::string(allow));
    return r;
}

// One answer for every failed sign-in, whatever failed: it tells nobody which
// staff ids exist or which check refused.
response sign_in_refused() {
    auto r = error(401, "unauthorized",
                   "The sign-in failed. Fetch a new challenge and sign it with your key.");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
}

response busy() {
    return error(429, "busy", "Too many sign-ins at once. Please try again in a minute.");
}

response internal() {
    return error(500, "internal", "The sign-in could not be recorded. Please try again.");
}

json::array id_array(const std::vector<std::string>& ids) {
    json::array out;
    for (const auto& id : ids) {
        out.emplace_back(id);
    }
    return out;
}

// Hands a job to the single writer and resumes the caller on its own executor
// with the outcome: success only once the commit is durable.
template <typename Token> auto async_write(report_sink& sink, store::write_job job, Token&& token) {
    return net::async_initiate<Token, void(status)>(
        [&sink](auto handler, store::write_job j) {
            auto executor = net::prefer(net::get_associated_executor(handler),
                                        net::execution::outstanding_work.tracked);
            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
            j.done = [shared, executor](status outcome) {
                net::post(executor, [shared, outcome]() mutable { std::move (*shared)(outcome); });
            };
            sink.submit_job(std::move(j));
        },
        token, std::move(job));
}

struct sign_in_request {
    std::string staff;
    std::vector<std::uint8_t> challenge; // 32 bytes
    std::vector<std::uint8_t> signature; // 64 bytes
};

/// PROTOCOL.md §6's body: {"staff", "challenge", "signature"}; 400 for a wrong shape.
answer_or<sign_in_request> read_sign_in(const json::value& body) {
    const auto* staff = json::find(body, "staff");
    const auto* challenge = json::find(body, "challenge");
    const auto* signature = json::find(body, "signature");
    if (staff == nullptr || !staff->is_string() || challenge == nullptr ||
        !challenge->is_string() || signature == nullptr || !signature->is_string()) {
        return bad_request("A sign-in needs staff, challenge and signature, each a string.");
    }
    sign_in_request out;
    out.staff = std::string(staff->as_string());
    if (!config::valid_id(out.staff)) {
        return bad_request("staff must be an id of a-z, 0-9, _ and -, at most 32 characters.");
    }
    auto c =
        crypto::base64url_decode_exact(challenge->as_string(), challenge_store::challenge_size);
    if (!c) {
        return bad_request("challenge must be 32 bytes in base64url without padding.");
    }
    auto sig = crypto::base64url_decode_exact(signature->as_string(), 64);
    if (!sig) {
        return bad_request("signature must be 64 bytes in base64url without padding.");
    }
    out.challenge = std::move(*c);
    out.signature = std::move(*sig);
    return out;
}

response issue_challenge(services& s, const request& req) {
    // Empty, or a JSON object (PROTOCOL.md §6: no Content-Type needed when empty).
    if (!req.body.empty()) {
        if (!is_json_content_type(req.content_type)) {
            return error(415, "unsupported_media_type", "Send an empty body or application/json.");
        }
        const auto parsed = json::parse(req.body);
        if (!parsed || !parsed->is_object()) {
            return bad_request("The body must be empty or a JSON object.");
        }
    }
    const auto challenge = s.sign_in.challenges.issue();
    if (!challenge) {
        return busy();
    }
    response r;
    r.body = json::serialize(json::object{{"challenge", crypto::base64url_encode(*challenge)}});
    return r;
}

net::awaitable<response> sign_in(services& s, const request& req) {
    if (!is_json_content_type(req.content_type)) {
        co_return error(415, "unsupported_media_type", "Send the sign-in as application/json.");
    }
    const auto parsed = json::parse(req.body);
    if (!parsed) {
        co_return bad_request("The body is not valid JSON: " + parsed.error().message);
    }
    auto asked = read_sign_in(*parsed);
    if (!asked) {
        co_return std::move(asked.error());
    }
    // Used up before anything else, so no challenge is ever tried twice.
    if (!s.sign_in.challenges.take(asked->challenge)) {
        co_return sign_in_refused();
    }
    // The read is a named closure of references: GCC 12 mishandles class
    // temporaries inside a co_await expression (a closure freed twice).
    const std::string& id = asked->staff;
    auto read_record = [&id](store::database& db) { return store::staff_records(db).get(id); };
    auto found = co_await s.reads.run(std::move(read_record));
    if (!found) {
        co_return internal();
    }
    const auto& record = *found;
    const auto origins = s.sign_in.origins.current();
    if (!record || record->disabled ||
        !signed_for_an_accepted_origin(*origins, asked->staff, asked->challenge, asked->signature,
                                       record->sign_pk)) {
        co_return sign_in_refused();
    }

    auth::principal who;
    who.scope = auth::scope::staff;
    who.staff_id = record->id;
    who.role = record->role == "coordinator" ? auth::role::coordinator : auth::role::caseworker;
    who.desks = record->desks;
    auto issued = s.tokens.issue(who, s.settings.token_lifetime_seconds);
    if (!issued) {
        co_return busy();
    }
    // A disable that landed after the record was read: the watcher either saw
    // it already (caught here) or will end this token when it does.
    if (s.sign_in.disabled.is_disabled(record->id)) {
        s.tokens.end(issued->token);
        co_return sign_in_refused();
    }
    // Named before the co_await: GCC 12 mishandles class temporaries inside a
    // co_await expression (destroyed twice, or copied bitwise: a bad free).
    auto job = store::audit_job(
        {utc_day(s.time.now_unix()), record->id, store::audit_action::sign_in, {}}, {});
    const auto written = co_await async_write(s.reports, std::move(job), net::use_awaitable);
    if (!written) {
        s.tokens.end(issued->token); // no sign-in without its audit row
        co_return internal();
    }
    response r;
    r.body = json::serialize(json::object{{"token", issued->token},
                                          {"expires_in", issued->expires_in},
                                          {"role", auth::to_string(who.role)},
                                          {"desks", id_array(who.desks)}});
    co_return r;
}

response logout(services& s, const request& req) {
    // Staff and mailbox tokens alike; an unknown or ended token is 401.
    const auto token = bearer_token(req.authorization);
    if (token.empty() || !s.tokens.end(token)) {
        auto r =
            error(401, "unauthorized", "Sign in first: the token is missing, unknown or expired.");
        r.headers.emplace_back("WWW-Authenticate", "Bearer");
        return r;
    }
    response r;
    r.status = 204;
    return r;
}

net::awaitable<response> staff_record(services& s, const request& req, std::string_view id) {
    auto who = authenticate(s.tokens, req, auth::scope::staff);
    if (!who) {
        co_return std::move(who.error());
    }
    if (!config::valid_id(id)) {
        co_return not_found();
    }
    auto read_record = [&id](store::database& db) { return store::staff_records(db).get(id); };
    auto found = co_await s.reads.run(std::move(read_record));
    if (!found) {
        co_return error(500, "internal", "The staff records could not be read.");
    }
    if (!*found) {
        co_return not_found();
    }
    const auto& record = **found;
    json::object doc{{"id", record.id},
                     {"role", record.role},
                     {"desks", id_array(record.desks)},
                     {"sign_pk", crypto::base64url_encode(record.sign_pk)},
                     {"box_pk", crypto::base64url_encode(record.box_pk)}};
    if (record.disabled) {
        doc.emplace("disabled", true); // old grants still name them
    }
    response r;
    r.body = json::serialize(doc);
    co_return r;
}

} // namespace

net::awaitable<std::optional<response>> route_auth(services& s, const request& req) {
    const auto& path = req.path;
    const bool post = req.method == "POST";
    if (path == "/api/v1/auth/challenge") {
        co_return post ? issue_challenge(s, req) : method_not_allowed("POST");
    }
    if (path == "/api/v1/auth/staff") {
        if (!post) {
            co_return method_not_allowed("POST");
        }
        co_return co_await sign_in(s, req);
    }
    if (path == "/api/v1/auth/logout") {
        co_return post ? logout(s, req) : method_not_allowed("POST");
    }
    if (path.starts_with(staff_prefix) && path.size() > staff_prefix.size()) {
        if (req.method != "GET") {
            co_return method_not_allowed("GET");
        }
        co_return co_await staff_record(s, req, std::string_view(path).substr(staff_prefix.size()));
    }
    co_return std::nullopt;
}

} // namespace signaal::api
