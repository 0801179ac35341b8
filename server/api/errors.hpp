#pragma once
// The error answers of PROTOCOL.md §2: {"error": {"code", "message"}}.
#include "server/api/message.hpp"

namespace signaal::api {

[[nodiscard]] response error(unsigned status, std::string_view code, std::string_view message);

[[nodiscard]] inline response bad_request(std::string_view message) {
    return error(400, "bad_request", message);
}
[[nodiscard]] inline response not_found() {
    return error(404, "not_found", "There is nothing at this address.");
}

} // namespace signaal::api
