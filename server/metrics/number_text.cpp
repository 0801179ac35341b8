#include "server/metrics/number_text.hpp"

#include <charconv>

namespace signaal::metrics {

std::string number_text(double value) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : std::string("NaN");
}

} // namespace signaal::metrics
