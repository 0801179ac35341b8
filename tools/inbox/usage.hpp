#pragma once
// signaal-inbox --help.
#include <string>

namespace signaal::inbox {

[[nodiscard]] std::string usage_text();

} // namespace signaal::inbox
