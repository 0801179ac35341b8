#pragma once
// POST /api/v1/reports: check, verify the proof of work, commit durably, answer 201.
#include "server/api/message.hpp"
#include "server/api/services.hpp"

#include <boost/asio/awaitable.hpp>

namespace signaal::api {

[[nodiscard]] boost::asio::awaitable<response> submit_report(services& s, const request& req);

/// Is a Content-Type header application/json (parameters such as charset allowed)?
[[nodiscard]] bool is_json_content_type(std::string_view content_type);

} // namespace signaal::api
