#pragma once
// signaal-admin's help texts.
#include <string_view>

namespace signaal::admin {

/// The help for a topic: "" (everything), "demo", "desk", "desk add",
/// "desk list", "config", "config check". Unknown: everything.
[[nodiscard]] std::string_view usage(std::string_view topic);

} // namespace signaal::admin
