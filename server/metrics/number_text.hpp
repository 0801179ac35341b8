#pragma once
// A sample value as Prometheus text: the shortest fixed form that reads back exactly.
#include <string>

namespace signaal::metrics {

[[nodiscard]] std::string number_text(double value);

} // namespace signaal::metrics
