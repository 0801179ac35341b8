#pragma once
// The text of config/defaults.toml, compiled into the library at build time.
#include <string_view>

namespace signaal::config {

/// The embedded defaults.toml (UTF-8 TOML); load_defaults() parses it.
[[nodiscard]] std::string_view embedded_defaults();

} // namespace signaal::config
