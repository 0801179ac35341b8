#include "tools/admin/command.hpp"

namespace signaal::admin {

int fail(context& ctx, int code, std::string_view message) {
    ctx.err << "signaal-admin: " << message << "\n";
    return code;
}

} // namespace signaal::admin
