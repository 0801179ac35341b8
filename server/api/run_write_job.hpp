#pragma once
// A change for the single writer (store::write_job), awaited by a request's
// coroutine: it resumes on its own executor once the change is durably
// committed, or with the error that kept it out.
#include "server/api/report_sink.hpp"
#include "server/common/result.hpp"
#include "server/store/write_job.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <memory>
#include <utility>

namespace signaal::api {

template <typename Token>
auto async_write_job(report_sink& sink, std::function<status(store::job_context&)> apply,
                     Token&& token) {
    namespace net = boost::asio;
    return net::async_initiate<Token, void(status)>(
        [&sink](auto handler, std::function<status(store::job_context&)> job) {
            auto executor = net::prefer(net::get_associated_executor(handler),
                                        net::execution::outstanding_work.tracked);
            // write_job::done is a std::function (copyable); the handler is not.
            auto held = std::make_shared<decltype(handler)>(std::move(handler));
            sink.submit_job({std::move(job), [held, executor](status outcome) {
                                 net::post(executor, [held, outcome]() mutable {
                                     std::move (*held)(std::move(outcome));
                                 });
                             }});
        },
        token, std::move(apply));
}

/// Runs `apply` in the writer's next commit group; success means durable.
/// `apply` runs on the writer thread: give it copies, not references.
[[nodiscard]] inline boost::asio::awaitable<status>
run_write_job(report_sink& sink, std::function<status(store::job_context&)> apply) {
    co_return co_await async_write_job(sink, std::move(apply), boost::asio::use_awaitable);
}

} // namespace signaal::api
