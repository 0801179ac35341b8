// /api/v1/desks/<desk>, /api/v1/desks/<desk>/keys, /api/v1/desk-keys and
// /api/v1/desk-keys/grants (PROTOCOL.md §6; the desk view is in
// docs/protocol-notes.md). Reads go through the read pool, changes through
// the writer (checks and writes in one job), so no connection's strand ever
// waits on SQLite.
#include "server/api/desk_key_routes.hpp"

#include "crypto/base64url.hpp"
#include "server/api/authenticate.hpp"
#include "server/api/desk_key_changes.hpp"
#include "server/api/errors.hpp"
#include "server/api/report_intake.hpp"
#include "server/config/settings.hpp"
#include "server/json/json.hpp"
#include "server/store/desk_registry.hpp"
#include "server/store/write_job.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <memory>

namespace signaal::api {
namespace net = boost::asio;

namespace {

constexpr std::string_view desks_prefix = "/api/v1/desks/";

response method_not_allowed(std::string_view allow) {
    auto r = error(405, "method_not_allowed", "This method is not allowed here.");
    r.headers.emplace_back("Allow", std::string(allow));
    return r;
}

response json_answer(unsigned status, const json::value& body) {
    response r;
    r.status = status;
    r.body = json::serialize(body);
    return r;
}

response internal() {
    return error(500, "internal", "This could not be read or stored; nothing was changed.");
}

json::array strings(const std::vector<std::string>& list) {
    json::array out;
    for (const auto& s : list) {
        out.emplace_back(s);
    }
    return out;
}

bool caseworker_of(const auth::principal& who, std::string_view desk) {
    return who.holds_desk(desk);
}

// Resumes the caller on its own executor once the desk directory serves what
// the database now holds.
template <typename Token> auto async_refreshed(desk_directory& desks, Token&& token) {
    return net::async_initiate<Token, void()>(
        [&desks](auto handler) {
            auto executor = net::prefer(net::get_associated_executor(handler),
                                        net::execution::outstanding_work.tracked);
            // std::function needs a copyable target; the handler is move-only.
            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
            desks.refresh_now([shared, executor] {
                net::post(executor, [shared]() mutable { std::move (*shared)(); });
            });
        },
        token);
}

/// The body as JSON, after the media type (415) and parse (400) checks.
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

// Hands a job to the single writer and resumes the caller on its own executor
// with its outcome, once it is known (success only after the commit is durable).
template <typename Token>
auto async_job(report_sink& writer, const std::function<status(store::job_context&)>& apply,
               Token&& token) {
    return net::async_initiate<Token, void(status)>(
        [&writer](auto handler, std::function<status(store::job_context&)> job) {
            auto executor = net::prefer(net::get_associated_executor(handler),
                                        net::execution::outstanding_work.tracked);
            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
            writer.submit_job(store::write_job{std::move(job), [shared, executor](status outcome) {
                                                   net::post(executor, [shared, outcome]() mutable {
                                                       std::move (*shared)(outcome);
                                                   });
                                               }});
        },
        token, apply);
}

using change = std::function<answer_or<void>(store::database&)>;

/// Runs `apply` (the checks and the writes) as one writer job: the refusal it
/// returns, 500 when the job failed otherwise, or nothing once the change is durable.
// GCC 12 destroys a temporary with a destructor inside a co_await expression
// twice, so every argument below is a named object passed by reference.
net::awaitable<std::optional<response>> run_change(services& s, const change& apply) {
    auto refusal = std::make_shared<std::optional<response>>();
    const std::function<status(store::job_context&)> job =
        [apply, refusal](store::job_context& context) -> status {
        auto applied = apply(context.db());
        if (!applied) {
            *refusal = std::move(applied.error());
            return fail("refused");
        }
        return {};
    };
    const auto committed = co_await async_job(s.reports, job, net::use_awaitable);
    if (*refusal) {
        co_return std::move(*refusal);
    }
    if (!committed) {
        co_return internal();
    }
    co_return std::nullopt;
}

net::awaitable<response> desk_view(services& s, const request& req, const std::string& desk) {
    auto who = authenticate_caseworker(s.tokens, req);
    if (!who) {
        co_return std::move(who.error());
    }
    if (!caseworker_of(*who, desk)) {
        co_return error(403, "forbidden", "Only a caseworker of this desk may see its holders.");
    }
    // By reference (this frame outlives the read): no temporary with a
    // destructor in a co_await expression (see run_change).
    auto state = co_await s.reads.run(
        [&desk](store::database& db) { return store::desk_registry(db).state(desk); });
    if (!state) {
        co_return internal();
    }
    json::value key_id = nullptr;
    if (state->current) {
        key_id = crypto::base64url_encode(state->current->key_id);
    }
    co_return json_answer(200, json::object{{"desk", desk},
                                            {"caseworkers", strings(state->caseworkers)},
                                            {"holders", strings(state->holders)},
                                            {"key_id", std::move(key_id)},
                                            {"rotate", state->rotate}});
}

net::awaitable<response> upload_key(services& s, const request& req, const std::string& desk) {
    auto who = authenticate_caseworker(s.tokens, req);
    if (!who) {
        co_return std::move(who.error());
    }
    auto body = json_body(req);
    if (!body) {
        co_return std::move(body.error());
    }
    if (!caseworker_of(*who, desk)) {
        co_return error(403, "forbidden", "Only a caseworker of this desk may upload its key.");
    }
    auto upload = read_key_upload(*body, desk);
    if (!upload) {
        co_return std::move(upload.error());
    }
    const change_context context{who->staff_id, s.time.now_unix(), s.settings.desk_key_grace_days};
    const auto key_id = crypto::base64url_encode(upload->key_id);
    const change apply = [upload = std::move(*upload), context](store::database& db) {
        return apply_key_upload(db, upload, context);
    };
    auto refused = co_await run_change(s, apply);
    if (refused) {
        co_return std::move(*refused);
    }
    // The intake accepts envelopes to the new key before the uploader hears 201.
    co_await async_refreshed(s.desks, net::use_awaitable);
    co_return json_answer(201, json::object{{"key_id", key_id}});
}

net::awaitable<response> add_grant(services& s, const request& req) {
    auto who = authenticate_caseworker(s.tokens, req);
    if (!who) {
        co_return std::move(who.error());
    }
    auto body = json_body(req);
    if (!body) {
        co_return std::move(body.error());
    }
    auto grant = read_grant(*body);
    if (!grant) {
        co_return std::move(grant.error());
    }
    if (!caseworker_of(*who, grant->desk)) {
        co_return error(403, "forbidden", "Only a caseworker of this desk may grant its key.");
    }
    const change_context context{who->staff_id, s.time.now_unix(), s.settings.desk_key_grace_days};
    const change apply = [grant = std::move(*grant), context](store::database& db) {
        return apply_grant(db, grant, context);
    };
    auto refused = co_await run_change(s, apply);
    if (refused) {
        co_return std::move(*refused);
    }
    co_return json_answer(201, json::object{});
}

net::awaitable<response> list_keys(services& s, const request& req) {
    auto who = authenticate_caseworker(s.tokens, req);
    if (!who) {
        co_return std::move(who.error());
    }
    const auto& me = *who; // this frame outlives the read it awaits
    auto keys = co_await s.reads.run([&me](store::database& db) {
        return store::desk_registry(db).keys_granted_to(me.staff_id, me.desks);
    });
    if (!keys) {
        co_return internal();
    }
    json::array out;
    for (const auto& k : *keys) {
        out.emplace_back(json::object{{"desk", k.grant.desk},
                                      {"key_id", crypto::base64url_encode(k.grant.key_id)},
                                      {"to", k.grant.to},
                                      {"wrapped", crypto::base64url_encode(k.grant.wrapped)},
                                      {"by", k.grant.by},
                                      {"signature", crypto::base64url_encode(k.grant.signature)},
                                      {"public_key", crypto::base64url_encode(k.public_key)}});
    }
    co_return json_answer(200, json::object{{"keys", std::move(out)}});
}

} // namespace

net::awaitable<std::optional<response>> route_desk_keys(services& s, const request& req) {
    const std::string_view path = req.path;
    if (path == "/api/v1/desk-keys") {
        if (req.method != "GET") {
            co_return method_not_allowed("GET");
        }
        co_return co_await list_keys(s, req);
    }
    if (path == "/api/v1/desk-keys/grants") {
        if (req.method != "POST") {
            co_return method_not_allowed("POST");
        }
        co_return co_await add_grant(s, req);
    }
    if (!path.starts_with(desks_prefix)) {
        co_return std::nullopt;
    }
    auto rest = path.substr(desks_prefix.size());
    const auto slash = rest.find('/');
    const auto desk = std::string(rest.substr(0, slash));
    if (!config::valid_id(desk)) {
        co_return std::nullopt; // not found
    }
    if (slash == std::string_view::npos) {
        if (req.method != "GET") {
            co_return method_not_allowed("GET");
        }
        co_return co_await desk_view(s, req, desk);
    }
    if (rest.substr(slash) == "/keys") {
        if (req.method != "POST") {
            co_return method_not_allowed("POST");
        }
        co_return co_await upload_key(s, req, desk);
    }
    co_return std::nullopt;
}

} // namespace signaal::api
