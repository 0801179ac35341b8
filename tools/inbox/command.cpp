#include "tools/inbox/command.hpp"

namespace signaal::inbox {

int fail(context& ctx, int code, std::string_view message) {
    ctx.err << "signaal-inbox: " << message << "\n";
    ctx.err.flush();
    return code;
}

void warn(context& ctx, std::string_view message) {
    ctx.err << "signaal-inbox: warning: " << message << "\n";
    ctx.err.flush();
}

} // namespace signaal::inbox
