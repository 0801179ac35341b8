#include "server/metrics/counting_handler.hpp"

#include "server/metrics/route_template.hpp"

namespace signaal::metrics {

boost::asio::awaitable<api::response> counting_handler::handle(api::request req) {
    const auto route = route_index(req.path);
    std::optional<api::response> answer;
    try {
        answer = co_await inner_.handle(std::move(req));
    } catch (...) {
        counts_.add(route, 500); // the transport answers 500 and closes
        throw;
    }
    counts_.add(route, answer->status);
    co_return std::move(*answer);
}

} // namespace signaal::metrics
