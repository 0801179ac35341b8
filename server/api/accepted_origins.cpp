#include "server/api/accepted_origins.hpp"

#include "server/config/origin.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>

namespace signaal::api {

accepted_origins::accepted_origins(std::vector<std::string> configured)
    : configured_(std::move(configured)),
      current_(std::make_shared<const std::vector<std::string>>(configured_)) {}

void accepted_origins::listening_on(std::string_view address, std::uint16_t port) {
    auto list = configured_;
    if (is_loopback_address(address)) {
        for (auto& origin : loopback_origins(port)) {
            if (std::find(list.begin(), list.end(), origin) == list.end()) {
                list.push_back(std::move(origin));
            }
        }
    }
    auto next = std::make_shared<const std::vector<std::string>>(std::move(list));
    std::lock_guard lock(mutex_);
    current_ = std::move(next);
}

std::shared_ptr<const std::vector<std::string>> accepted_origins::current() const {
    std::lock_guard lock(mutex_);
    return current_;
}

std::vector<std::string> loopback_origins(std::uint16_t port) {
    return {config::https_origin("127.0.0.1", port), config::https_origin("localhost", port),
            config::https_origin("::1", port)};
}

bool is_loopback_address(std::string_view address) {
    boost::system::error_code ec;
    const auto parsed = boost::asio::ip::make_address(std::string(address), ec);
    if (ec) {
        return false;
    }
    if (parsed.is_v6() && parsed.to_v6().is_v4_mapped()) {
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, parsed.to_v6())
            .is_loopback();
    }
    return parsed.is_loopback();
}

} // namespace signaal::api
