#include "server/api/errors.hpp"

#include "server/json/json.hpp"

namespace signaal::api {

response error(unsigned status, std::string_view code, std::string_view message) {
    response r;
    r.status = status;
    r.body = json::serialize(json::object{
        {"error", json::object{{"code", std::string(code)}, {"message", std::string(message)}}}});
    return r;
}

} // namespace signaal::api
