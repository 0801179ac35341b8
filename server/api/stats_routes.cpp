#include "server/api/stats_routes.hpp"

#include "server/api/authenticate.hpp"
#include "server/api/errors.hpp"
#include "server/api/stats_freezing.hpp"
#include "server/stats/configured_policy.hpp"
#include "server/stats/render.hpp"
#include "server/stats/stats_answer.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>

namespace signaal::api {
namespace net = boost::asio;

namespace {

constexpr std::string_view stats_path = "/api/v1/stats";

response internal_error() {
    return error(500, "internal", "The numbers could not be read. Please try again later.");
}

/// Hands a freeze to the single writer and resumes the caller on its own
/// executor once the commit is durable (or the job failed).
template <typename Token>
auto async_freeze(report_sink& sink, std::vector<stats::quarter> quarters, std::int64_t today,
                  stats::freeze_policy policy, Token&& token) {
    return net::async_initiate<Token, void(status)>(
        [&sink](auto handler, std::vector<stats::quarter> q, std::int64_t day,
                stats::freeze_policy p) {
            auto executor = net::prefer(net::get_associated_executor(handler),
                                        net::execution::outstanding_work.tracked);
            // write_job::done is a std::function: the move-only handler goes behind a pointer.
            auto held = std::make_shared<decltype(handler)>(std::move(handler));
            sink.submit_job(
                freeze_job(std::move(q), day, std::move(p), [held, executor](status outcome) {
                    net::post(executor,
                              [held, outcome]() mutable { std::move (*held)(std::move(outcome)); });
                }));
        },
        token, std::move(quarters), today, std::move(policy));
}

struct stats_query {
    std::vector<stats::quarter> range;
    bool csv = false;
};

answer_or<stats_query> parse_query(std::string_view query) {
    const auto from_text = query_param(query, "from");
    const auto to_text = query_param(query, "to");
    if (from_text.empty() || to_text.empty()) {
        return bad_request("Give from and to as quarters, YYYY-Qn.");
    }
    const auto from = stats::parse_quarter(from_text);
    if (!from) {
        return bad_request("from: " + from.error().message);
    }
    const auto to = stats::parse_quarter(to_text);
    if (!to) {
        return bad_request("to: " + to.error().message);
    }
    auto range = stats::quarter_range(*from, *to);
    if (!range) {
        return bad_request(range.error().message);
    }
    const auto format = query_param(query, "format");
    if (!format.empty() && format != "json" && format != "csv") {
        return bad_request("format is json or csv.");
    }
    return stats_query{std::move(*range), format == "csv"};
}

} // namespace

// GCC 12 at -O2 warns that the coroutine frame's operator delete does not match
// its allocation (-Wmismatched-new-delete) for this function: a false positive
// on Asio's awaitable_frame, whose operator new and delete are a matching pair.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
net::awaitable<std::optional<response>> route_stats(services& s, const request& req) {
    if (req.path != stats_path) {
        co_return std::nullopt;
    }
    if (req.method != "GET") {
        auto r = error(405, "method_not_allowed", "This method is not allowed here.");
        r.headers.emplace_back("Allow", "GET");
        co_return r;
    }
    if (auto who = authenticate_coordinator(s.tokens, req); !who) {
        co_return who.error();
    }
    auto query = parse_query(req.query);
    if (!query) {
        co_return query.error();
    }
    const std::int64_t today = unix_day(s.time.now_unix());
    const auto& range = query->range;

    auto due = co_await s.reads.run(
        [&range, today](store::database& db) { return stats::unfrozen_due(db, range, today); });
    if (!due) {
        co_return internal_error();
    }
    if (!due->empty()) {
        // Named: GCC 12 may destroy a temporary of a co_await expression twice.
        auto policy = stats::configured_policy(s.settings);
        auto freeze = async_freeze(s.reports, std::move(*due), today, policy, net::use_awaitable);
        const auto frozen = co_await std::move(freeze);
        if (!frozen) {
            co_return internal_error();
        }
    }
    const std::int64_t k = s.settings.stats_k;
    auto answer = co_await s.reads.run([&range, today, k](store::database& db) {
        return stats::read_answer(db, range, today, k);
    });
    if (!answer) {
        co_return internal_error();
    }
    response r;
    if (query->csv) {
        r.content_type = "text/csv";
        r.body = stats::render_csv(*answer);
    } else {
        r.body = stats::render_json(*answer);
    }
    co_return r;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

} // namespace signaal::api
