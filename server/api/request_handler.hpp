#pragma once
// What a connection hands each request to: the router in the server, a probe in
// the transport's tests. The answer may come later (a durable commit); an
// exception is a bug, and closes only the connection that met it.
#include "server/api/message.hpp"

#include <boost/asio/awaitable.hpp>

namespace signaal::api {

class request_handler {
  public:
    virtual ~request_handler() = default;
    [[nodiscard]] virtual boost::asio::awaitable<response> handle(request req) = 0;
};

} // namespace signaal::api
