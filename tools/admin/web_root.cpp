#include "tools/admin/web_root.hpp"

namespace signaal::admin {

std::filesystem::path installed_web_root() {
    std::error_code ec;
    const auto program = std::filesystem::read_symlink("/proc/self/exe", ec);
    const auto folder = ec ? std::filesystem::current_path(ec) : program.parent_path();
    return (folder / SIGNAAL_WEB_ROOT_FROM_BIN).lexically_normal();
}

} // namespace signaal::admin
