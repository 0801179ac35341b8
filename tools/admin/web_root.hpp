#pragma once
// Where `signaal-admin demo` finds the built page when not told (--web-root):
// installed beside the program, so no build or source path is compiled in.
#include <filesystem>

namespace signaal::admin {

/// <folder of this program>/../share/signaal/web (from /proc/self/exe), normalised.
[[nodiscard]] std::filesystem::path installed_web_root();

} // namespace signaal::admin
