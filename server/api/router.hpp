#pragma once
// Maps a request to its handler. Every answer, errors included, is a response;
// only the transport adds headers.
#include "server/api/message.hpp"
#include "server/api/request_handler.hpp"
#include "server/api/services.hpp"

#include <boost/asio/awaitable.hpp>

namespace signaal::api {

[[nodiscard]] boost::asio::awaitable<response> route(services& s, request req);

/// route() as the connections' request handler.
class router final : public request_handler {
  public:
    explicit router(services& s) : services_(s) {}
    [[nodiscard]] boost::asio::awaitable<response> handle(request req) override {
        return route(services_, std::move(req));
    }

  private:
    services& services_;
};

/// True for the paths whose answers are API documents (Cache-Control: no-store
/// is on every answer anyway; this decides only the CSP of documents).
[[nodiscard]] bool is_api_path(std::string_view path);

} // namespace signaal::api
