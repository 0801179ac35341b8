#include "server/api/mailbox_routes.hpp"

#include "crypto/base64url.hpp"
#include "crypto/random.hpp"
#include "crypto/sealed_message.hpp"
#include "crypto/sign.hpp"
#include "server/api/authenticate.hpp"
#include "server/api/challenge_store.hpp"
#include "server/api/consent_document.hpp"
#include "server/api/errors.hpp"
#include "server/api/message_document.hpp"
#include "server/api/message_intake.hpp"
#include "server/api/report_intake.hpp"
#include "server/api/run_write_job.hpp"
#include "server/api/sign_in_check.hpp"
#include "server/stats/withdrawal_mark.hpp"
#include "server/store/audit_log.hpp"
#include "server/store/day_number.hpp"
#include "server/store/mailbox_report.hpp"
#include "server/store/report_view.hpp"
#include "server/store/withdrawal.hpp"

#include <algorithm>
#include <memory>

namespace signaal::api {
namespace net = boost::asio;

namespace {

constexpr std::string_view sign_in_path = "/api/v1/auth/mailbox";
constexpr std::string_view mailbox_path = "/api/v1/mailbox";
constexpr std::string_view messages_path = "/api/v1/mailbox/messages";
constexpr std::string_view withdraw_prefix = "/api/v1/mailbox/reports/";
constexpr std::string_view reports_prefix = "/api/v1/reports/";
constexpr std::string_view reply_suffix = "/messages";
constexpr std::size_t report_id_size = 16;
constexpr std::size_t message_id_size = 16;
constexpr std::int64_t max_mailbox_token_seconds = 30 * 60;

response method_not_allowed(std::string_view allow) {
    auto r = error(405, "method_not_allowed", "This method is not allowed here.");
    r.headers.emplace_back("Allow", std::string(allow));
    return r;
}

response internal() {
    return error(500, "internal", "The request could not be completed. Please try again.");
}

response sign_in_refused() {
    auto r = error(401, "unauthorized",
                   "The sign-in failed. Fetch a new challenge and sign it with your key.");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
}

response unsupported_media_type() {
    return error(415, "unsupported_media_type", "Send the body as application/json.");
}

response consent_violation(std::string_view message) {
    return error(422, "consent_violation", message);
}

response stale_key() {
    return error(409, "stale_key",
                 "An envelope names a desk key that is no longer accepted. "
                 "Fetch /api/v1/config again and seal anew.");
}

// Answers are built outside the coroutines: GCC 12 destroys some temporaries
// of a co_await or co_return expression twice.
response json_answer(const json::value& doc, unsigned status = 200) {
    response r;
    r.status = status;
    r.body = json::serialize(doc);
    return r;
}

response created(const store::message_record& m) {
    return json_answer(
        json::object{{"id", crypto::base64url_encode(m.id)}, {"day", store::day_text(m.day)}}, 201);
}

response no_content() {
    response r;
    r.status = 204;
    return r;
}

json::array id_array(const std::vector<std::string>& ids) {
    json::array out;
    for (const auto& id : ids) {
        out.emplace_back(id);
    }
    return out;
}

response mailbox_answer(const store::mailbox_view& view) {
    json::array reports;
    json::array messages;
    if (view.report) {
        const auto& r = *view.report;
        json::object status;
        for (const auto& [desk, value] : r.status) {
            status[desk] = value;
        }
        reports.emplace_back(
            json::object{{"id", crypto::base64url_encode(r.id)},
                         {"received_day", r.received_day},
                         {"category", r.category},
                         {"desks", id_array(r.desks)},
                         {"pending", id_array(r.pending)},
                         {"consent", id_array(r.consent)},
                         {"consent_changes", consent_change_list(r.consent_changes)},
                         {"status", std::move(status)}});
        messages = message_list(view.messages, r.id);
    }
    return json_answer(
        json::object{{"reports", std::move(reports)}, {"messages", std::move(messages)}});
}

answer_or<json::value> json_body(const request& req) {
    if (!is_json_content_type(req.content_type)) {
        return unsupported_media_type();
    }
    auto parsed = json::parse(req.body);
    if (!parsed) {
        return bad_request("The body is not valid JSON: " + parsed.error().message);
    }
    return std::move(*parsed);
}

// ---- POST /api/v1/auth/mailbox ----------------------------------------------

struct mailbox_sign_in {
    std::vector<std::uint8_t> mailbox_pk, challenge, signature;
};

answer_or<mailbox_sign_in> read_mailbox_sign_in(const json::value& body) {
    mailbox_sign_in out;
    const std::pair<const char*, std::pair<std::vector<std::uint8_t>*, std::size_t>> fields[] = {
        {"mailbox_pk", {&out.mailbox_pk, crypto::sign_public_key_size}},
        {"challenge", {&out.challenge, challenge_store::challenge_size}},
        {"signature", {&out.signature, crypto::signature_size}}};
    for (const auto& [name, target] : fields) {
        const auto* v = json::find(body, name);
        auto decoded = v != nullptr && v->is_string()
                           ? crypto::base64url_decode_exact(v->as_string(), target.second)
                           : std::nullopt;
        if (!decoded) {
            return bad_request("A mailbox sign-in needs mailbox_pk (32 bytes), challenge (32) "
                               "and signature (64), each base64url without padding.");
        }
        *target.first = std::move(*decoded);
    }
    return out;
}

response sign_in(services& s, const request& req) {
    auto body = json_body(req);
    if (!body) {
        return std::move(body.error());
    }
    auto asked = read_mailbox_sign_in(*body);
    if (!asked) {
        return std::move(asked.error());
    }
    // Used up first, so no challenge is tried twice. Then only the signature
    // counts: any valid one gets a token, whether or not a report carries the
    // key, through this one path (PROTOCOL.md §7).
    if (!s.sign_in.challenges.take(asked->challenge)) {
        return sign_in_refused();
    }
    const auto origins = s.sign_in.origins.current();
    if (!mailbox_signed_for_an_accepted_origin(*origins, asked->challenge, asked->signature,
                                               asked->mailbox_pk)) {
        return sign_in_refused();
    }
    auth::principal who;
    who.scope = auth::scope::mailbox;
    who.mailbox_pk = asked->mailbox_pk;
    const auto lifetime =
        std::min<std::int64_t>(s.settings.token_lifetime_seconds, max_mailbox_token_seconds);
    auto issued = s.tokens.issue(std::move(who), lifetime);
    if (!issued) {
        return error(429, "busy", "Too many sign-ins at once. Please try again in a minute.");
    }
    return json_answer(json::object{{"token", issued->token}, {"expires_in", issued->expires_in}});
}

// ---- GET /api/v1/mailbox ------------------------------------------------------

net::awaitable<response> read_mailbox(services& s, const request& req) {
    auto who = authenticate(s.tokens, req, auth::scope::mailbox);
    if (!who) {
        co_return std::move(who.error());
    }
    const auto& mailbox_pk = who->mailbox_pk;
    auto read = [&mailbox_pk](store::database& db) { return store::read_mailbox(db, mailbox_pk); };
    auto view = co_await s.reads.run(std::move(read));
    if (!view) {
        co_return internal();
    }
    co_return mailbox_answer(*view);
}

// ---- messages both ways -------------------------------------------------------

enum class stored_as { stored, not_found, no_mailbox, not_a_desk_of_it, pending_desk };

std::function<status(store::job_context&)>
reporter_message_job(std::vector<std::uint8_t> mailbox_pk, std::vector<std::uint8_t> report_id,
                     store::message_record message, std::shared_ptr<stored_as> outcome) {
    return [mailbox_pk = std::move(mailbox_pk), report_id = std::move(report_id),
            message = std::move(message),
            outcome = std::move(outcome)](store::job_context& job) -> status {
        // Again in the writer: a withdrawal may have come in between.
        auto report = store::find_mailbox_report(job.db(), mailbox_pk);
        if (!report) {
            return report.error();
        }
        if (!*report || (*report)->id != report_id) {
            *outcome = stored_as::not_found;
            return {};
        }
        // ...or a consent change that removed a desk.
        for (const auto& e : message.envelopes) {
            if (e.recipient != "reporter" && !store::among((*report)->desks, e.recipient)) {
                *outcome = stored_as::not_a_desk_of_it;
                return {};
            }
        }
        if (auto stored = store::insert_message(job.db(), (*report)->no, message); !stored) {
            return stored;
        }
        for (const auto& e : message.envelopes) {
            if (e.recipient == "reporter") {
                continue;
            }
            if (auto event = job.add_event(e.recipient, (*report)->no, report_id, "message");
                !event) {
                return event.error();
            }
        }
        *outcome = stored_as::stored;
        return {};
    };
}

std::function<status(store::job_context&)> desk_reply_job(std::string staff_id, std::string day,
                                                          std::vector<std::uint8_t> report_id,
                                                          std::string desk,
                                                          store::message_record message,
                                                          std::shared_ptr<stored_as> outcome) {
    return [staff_id = std::move(staff_id), day = std::move(day), report_id = std::move(report_id),
            desk = std::move(desk), message = std::move(message),
            outcome = std::move(outcome)](store::job_context& job) -> status {
        auto routed = store::find_routed_report(job.db(), report_id, {desk});
        if (!routed) {
            return routed.error();
        }
        if (!*routed) {
            *outcome = stored_as::not_found;
            return {};
        }
        if ((*routed)->reader_desks.empty()) {
            *outcome = stored_as::pending_desk;
            return {};
        }
        const std::int64_t no = (*routed)->no;
        auto box_pk = store::reply_box_of(job.db(), no);
        if (!box_pk) {
            return box_pk.error();
        }
        if (box_pk->empty()) {
            *outcome = stored_as::no_mailbox;
            return {};
        }
        if (auto stored = store::insert_message(job.db(), no, message); !stored) {
            return stored;
        }
        // That desk only: its colleagues see the reply, no other desk hears of it.
        if (auto event = job.add_event(desk, no, report_id, "message"); !event) {
            return event.error();
        }
        store::audit_log audit(job.db());
        if (auto audited =
                audit.append({day, staff_id, store::audit_action::message_sent, report_id});
            !audited) {
            return audited;
        }
        *outcome = stored_as::stored;
        return {};
    };
}

/// Each desk envelope's key id is one its desk accepts now.
bool keys_accepted(const services& s, const store::message_record& m, std::int64_t now) {
    const auto snapshot = s.desks.current();
    for (const auto& e : m.envelopes) {
        const std::string desk = e.recipient == "reporter"
                                     ? m.sender.substr(std::string_view("desk:").size())
                                     : e.recipient;
        if (e.key_id.empty()) {
            continue; // the reporter's own copy: no desk key
        }
        if (!snapshot->keys.accepts(desk, e.key_id, now)) {
            return false;
        }
    }
    return true;
}

void name_message(store::message_record& m, std::int64_t now) {
    m.id = crypto::random_bytes(message_id_size);
    m.day = unix_day(now);
}

net::awaitable<response> reporter_message(services& s, const request& req) {
    auto who = authenticate(s.tokens, req, auth::scope::mailbox);
    if (!who) {
        co_return std::move(who.error());
    }
    auto body = json_body(req);
    if (!body) {
        co_return std::move(body.error());
    }
    auto asked = read_reporter_message(*body, s.settings);
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
    auto& message = asked->message;
    const crypto::message_address address{crypto::base64url_encode(asked->report_id),
                                          message.sender, message.recipients};
    if (!crypto::verify_reporter_message(message.signature, address, message.nonce,
                                         message.ciphertext, mailbox_pk)) {
        co_return error(422, "bad_signature",
                        "The signature does not verify with this report's mailbox key.");
    }
    const auto& desks = (*report)->desks;
    std::size_t to_desks = 0;
    for (const auto& recipient : message.recipients) {
        if (recipient == "reporter") {
            continue;
        }
        if (std::find(desks.begin(), desks.end(), recipient) == desks.end()) {
            co_return consent_violation("A message goes only to desks of its report.");
        }
        ++to_desks;
    }
    if (to_desks == 0) {
        co_return consent_violation("A message goes to at least one desk of its report.");
    }
    const auto now = s.time.now_unix();
    if (!keys_accepted(s, message, now)) {
        co_return stale_key();
    }
    name_message(message, now);
    auto outcome = std::make_shared<stored_as>(stored_as::not_found);
    auto job = reporter_message_job(mailbox_pk, asked->report_id, message, outcome);
    const auto written = co_await run_write_job(s.reports, std::move(job));
    if (!written) {
        co_return internal();
    }
    if (*outcome == stored_as::not_a_desk_of_it) {
        co_return consent_violation("A message goes only to desks of its report.");
    }
    if (*outcome != stored_as::stored) {
        co_return not_found();
    }
    co_return created(message);
}

response pending_desk() {
    return error(403, "forbidden",
                 "Your desk waits for this report: a desk that holds it seals it to you first.");
}

net::awaitable<response> desk_reply(services& s, const request& req, std::string_view id_text) {
    auto caller = authenticate_caseworker(s.tokens, req);
    if (!caller) {
        co_return std::move(caller.error());
    }
    auto body = json_body(req);
    if (!body) {
        co_return std::move(body.error());
    }
    auto asked = read_desk_reply(*body, s.settings);
    if (!asked) {
        co_return std::move(asked.error());
    }
    if (!caller->holds_desk(asked->desk)) {
        co_return error(403, "forbidden", "This desk is not one of yours.");
    }
    auto id = crypto::base64url_decode_exact(id_text, report_id_size);
    if (!id) {
        co_return not_found();
    }
    const std::vector<std::string> desk{asked->desk};
    const auto& report_id = *id;
    // nullopt: not routed; pending: true when the desk only waits for it.
    struct reply_target {
        bool pending = false;
        std::vector<std::uint8_t> box_pk;
    };
    auto read = [&report_id, &desk](store::database& db) -> result<std::optional<reply_target>> {
        auto routed = store::find_routed_report(db, report_id, desk);
        if (!routed) {
            return routed.error();
        }
        if (!*routed) {
            return std::optional<reply_target>{};
        }
        if ((*routed)->reader_desks.empty()) {
            return std::optional<reply_target>(reply_target{true, {}});
        }
        auto box_pk = store::reply_box_of(db, (*routed)->no);
        if (!box_pk) {
            return box_pk.error();
        }
        return std::optional<reply_target>(reply_target{false, std::move(*box_pk)});
    };
    auto found = co_await s.reads.run(std::move(read));
    if (!found) {
        co_return internal();
    }
    // A report not routed to that desk does not exist for it.
    if (!*found) {
        co_return not_found();
    }
    if ((*found)->pending) {
        co_return pending_desk();
    }
    if ((*found)->box_pk.empty()) {
        co_return error(409, "no_mailbox", "This report has no mailbox: nobody can read a reply.");
    }
    auto& message = asked->message;
    const std::vector<std::string> exactly{std::min(asked->desk, std::string("reporter")),
                                           std::max(asked->desk, std::string("reporter"))};
    if (message.recipients != exactly) {
        co_return consent_violation(
            "A reply has exactly two envelopes: one for the reporter and one for your desk.");
    }
    const auto now = s.time.now_unix();
    if (!keys_accepted(s, message, now)) {
        co_return stale_key();
    }
    name_message(message, now);
    auto outcome = std::make_shared<stored_as>(stored_as::not_found);
    auto job = desk_reply_job(caller->staff_id, utc_day(now), *id, asked->desk, message, outcome);
    const auto written = co_await run_write_job(s.reports, std::move(job));
    if (!written) {
        co_return internal();
    }
    if (*outcome == stored_as::no_mailbox) {
        co_return error(409, "no_mailbox", "This report has no mailbox: nobody can read a reply.");
    }
    if (*outcome == stored_as::pending_desk) {
        co_return pending_desk();
    }
    if (*outcome != stored_as::stored) {
        co_return not_found();
    }
    co_return created(message);
}

// ---- DELETE /api/v1/mailbox/reports/<id> -------------------------------------

std::function<status(store::job_context&)> withdrawal_job(std::vector<std::uint8_t> report_id,
                                                          std::vector<std::uint8_t> mailbox_pk,
                                                          std::int64_t day,
                                                          std::shared_ptr<bool> withdrawn) {
    return [report_id = std::move(report_id), mailbox_pk = std::move(mailbox_pk), day,
            withdrawn = std::move(withdrawn)](store::job_context& job) -> status {
        auto desks = store::withdraw_report(job, report_id, mailbox_pk);
        if (!desks) {
            return desks.error();
        }
        if (!*desks) {
            return {}; // nothing changed: 404
        }
        if (auto marked = stats::mark_withdrawn(job.db(), report_id, day); !marked) {
            return marked;
        }
        store::audit_log audit(job.db());
        if (auto forgotten = audit.forget_report(report_id); !forgotten) {
            return forgotten;
        }
        job.checkpoint_after_commit();
        *withdrawn = true;
        return {};
    };
}

net::awaitable<response> withdraw(services& s, const request& req, std::string_view id_text) {
    auto who = authenticate(s.tokens, req, auth::scope::mailbox);
    if (!who) {
        co_return std::move(who.error());
    }
    auto id = crypto::base64url_decode_exact(id_text, report_id_size);
    if (!id) {
        co_return not_found();
    }
    auto withdrawn = std::make_shared<bool>(false);
    auto job = withdrawal_job(*id, who->mailbox_pk, unix_day(s.time.now_unix()), withdrawn);
    const auto written = co_await run_write_job(s.reports, std::move(job));
    if (!written) {
        co_return internal();
    }
    if (!*withdrawn) {
        co_return not_found();
    }
    co_return no_content();
}

} // namespace

net::awaitable<std::optional<response>> route_mailbox(services& s, const request& req) {
    const std::string_view path = req.path;
    if (path == sign_in_path) {
        if (req.method != "POST") {
            co_return method_not_allowed("POST");
        }
        co_return sign_in(s, req);
    }
    if (path == mailbox_path) {
        if (req.method != "GET") {
            co_return method_not_allowed("GET");
        }
        co_return co_await read_mailbox(s, req);
    }
    if (path == messages_path) {
        if (req.method != "POST") {
            co_return method_not_allowed("POST");
        }
        co_return co_await reporter_message(s, req);
    }
    if (path.starts_with(withdraw_prefix) && path.size() > withdraw_prefix.size()) {
        if (req.method != "DELETE") {
            co_return method_not_allowed("DELETE");
        }
        co_return co_await withdraw(s, req, path.substr(withdraw_prefix.size()));
    }
    if (path.starts_with(reports_prefix) && path.ends_with(reply_suffix)) {
        const auto id = path.substr(reports_prefix.size(),
                                    path.size() - reports_prefix.size() - reply_suffix.size());
        // Other methods go on to the report routes: every answer under a
        // report that is not the caller's is the one of a missing report.
        if (id.find('/') == std::string_view::npos && !id.empty() && req.method == "POST") {
            co_return co_await desk_reply(s, req, id);
        }
    }
    co_return std::nullopt;
}

} // namespace signaal::api
