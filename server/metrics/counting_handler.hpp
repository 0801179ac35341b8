#pragma once
// Counts each answer of the wrapped handler by route template and status.
// Requests the transport refuses before any handler sees them (malformed
// HTTP, oversized headers or bodies) are not counted here.
#include "server/api/request_handler.hpp"
#include "server/metrics/request_counts.hpp"

namespace signaal::metrics {

class counting_handler final : public api::request_handler {
  public:
    counting_handler(api::request_handler& inner, request_counts& counts)
        : inner_(inner), counts_(counts) {}
    [[nodiscard]] boost::asio::awaitable<api::response> handle(api::request req) override;

  private:
    api::request_handler& inner_;
    request_counts& counts_;
};

} // namespace signaal::metrics
