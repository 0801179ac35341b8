#include "server/api/report_intake.hpp"

#include "crypto/base64url.hpp"
#include "crypto/random.hpp"
#include "server/api/errors.hpp"
#include "server/api/report_submission.hpp"
#include "server/json/json.hpp"
#include "server/store/report_writer.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cctype>
#include <memory>

namespace signaal::api {
namespace net = boost::asio;

namespace {

constexpr std::size_t report_id_size = 16;

response busy() {
    return error(429, "busy", "The service is busy. Please try again in a minute.");
}

response unavailable() {
    auto r = error(503, "unavailable", "The service is not taking reports right now.");
    r.headers.emplace_back("Retry-After", "600");
    return r;
}

// Hands a request to the single writer and resumes the caller on its own
// executor once the outcome is known: after the commit is durable.
template <typename Token>
auto async_commit(report_sink& sink, store::write_request request, Token&& token) {
    return net::async_initiate<Token, void(store::write_outcome)>(
        [&sink](auto handler, store::write_request r) {
            auto executor = net::prefer(net::get_associated_executor(handler),
                                        net::execution::outstanding_work.tracked);
            sink.submit(std::move(r), [handler = std::move(handler),
                                       executor](store::write_outcome outcome) mutable {
                net::post(executor, [handler = std::move(handler), outcome]() mutable {
                    std::move(handler)(outcome);
                });
            });
        },
        token, std::move(request));
}

response reply_in_use() {
    return error(409, "reply_in_use",
                 "These reply keys already serve another report: make a new receipt.");
}

net::awaitable<result<bool>> reply_keys_used(services& s, const store::report_record& report) {
    const auto& box_pk = report.reply_box_pk;
    const auto& mailbox_pk = report.reply_mailbox_pk;
    auto read = [&box_pk, &mailbox_pk](store::database& db) {
        return store::reply_keys_in_use(db, box_pk, mailbox_pk);
    };
    co_return co_await s.reads.run(std::move(read));
}

} // namespace

bool is_json_content_type(std::string_view content_type) {
    const auto semicolon = content_type.find(';');
    auto media = content_type.substr(0, semicolon);
    while (!media.empty() && media.back() == ' ') {
        media.remove_suffix(1);
    }
    constexpr std::string_view json_type = "application/json";
    if (media.size() != json_type.size()) {
        return false;
    }
    for (std::size_t i = 0; i < media.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(media[i])) != json_type[i]) {
            return false;
        }
    }
    return true;
}

// GCC 12 at -O2 warns that the coroutine frame's operator delete does not match
// its allocation (-Wmismatched-new-delete) for this function once it awaits a
// read: a false positive on Asio's awaitable_frame (as in stats_routes.cpp).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
net::awaitable<response> submit_report(services& s, const request& req) {
    // PROTOCOL.md §5: load first, so an overloaded server parses nothing; then
    // §1's media type and JSON; then the report's own checks, proof of work last.
    switch (s.reports.load()) {
    case intake_load::open:
        break;
    case intake_load::busy:
        co_return busy();
    case intake_load::paused:
        co_return unavailable();
    }
    if (!is_json_content_type(req.content_type)) {
        co_return error(415, "unsupported_media_type", "Send the report as application/json.");
    }
    const auto parsed = json::parse(req.body);
    if (!parsed) {
        co_return bad_request("The body is not valid JSON: " + parsed.error().message);
    }
    const auto now = s.time.now_unix();
    auto checked = check_submission(*parsed, s.settings, s.desks.current()->keys, now);
    if (!checked) {
        co_return std::move(checked.error());
    }
    auto& submission = *checked;
    // A receipt serves one report (PROTOCOL.md §7): checked before the proof of
    // work, and again by the writer.
    if (!submission.report.reply_box_pk.empty()) {
        const auto used = co_await reply_keys_used(s, submission.report);
        if (!used) {
            co_return error(500, "internal", "The report could not be checked. Please try again.");
        }
        if (*used) {
            co_return reply_in_use();
        }
    }
    if (!submission.has_pow) {
        co_return error(403, "pow_invalid", "A proof of work is required.");
    }
    auto pow = s.pow.check(submission.pow_token, submission.pow_nonce);
    if (!pow) {
        co_return error(403, "pow_invalid",
                        "The proof of work is invalid, expired or too weak. "
                        "Fetch a new token and try again.");
    }

    store::write_request request;
    request.report = std::move(submission.report);
    request.report.id = crypto::random_bytes(report_id_size);
    request.report.received_day = utc_day(now);
    request.pow_token_hash = std::move(pow->token_hash);
    const auto id = crypto::base64url_encode(request.report.id);
    const auto day = request.report.received_day;

    switch (co_await async_commit(s.reports, std::move(request), net::use_awaitable)) {
    case store::write_outcome::committed: {
        response r;
        r.status = 201;
        r.body = json::serialize(json::object{{"id", id}, {"received_day", day}});
        co_return r;
    }
    case store::write_outcome::pow_reused:
        co_return error(403, "pow_invalid",
                        "This proof of work was already used. "
                        "Fetch a new token and try again.");
    case store::write_outcome::busy:
        co_return busy();
    case store::write_outcome::reply_in_use:
        co_return reply_in_use();
    case store::write_outcome::failed:
        break;
    }
    co_return error(500, "internal", "The report could not be stored. Please try again.");
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

} // namespace signaal::api
