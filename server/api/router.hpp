#pragma once
// Maps a request to its handler. Every answer, errors included, is a response;
// only the transport adds headers.
#include "server/api/message.hpp"
#include "server/api/services.hpp"

#include <boost/asio/awaitable.hpp>

namespace signaal::api {

[[nodiscard]] boost::asio::awaitable<response> route(services& s, request req);

/// True for the paths whose answers are API documents (Cache-Control: no-store
/// is on every answer anyway; this decides only the CSP of documents).
[[nodiscard]] bool is_api_path(std::string_view path);

} // namespace signaal::api
