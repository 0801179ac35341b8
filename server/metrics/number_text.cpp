#include "server/metrics/number_text.hpp"

#include <charconv>

namespace signaal::metrics {

std::string number_text(double value) {
    char buffer[350]; // the longest fixed double
    // Fixed notation ("0.0005", not "5e-04"): how Prometheus writes bucket bounds.
    const auto [end, ec] =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    return ec == std::errc() ? std::string(buffer, end) : std::string("NaN");
}

} // namespace signaal::metrics
