#pragma once
// What every signaal-inbox command shares: exit statuses and where it writes.
#include <ostream>
#include <string_view>

namespace signaal::inbox {

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;   // the server, the network or a file failed us
constexpr int exit_bad_input = 2; // bad arguments or a bad key file; nothing was sent
constexpr int exit_refused = 3;   // a key or a report that failed a check was refused

struct context {
    std::ostream& out;
    std::ostream& err;
};

/// Writes "signaal-inbox: <message>" as one line to err and returns `code`.
int fail(context& ctx, int code, std::string_view message);

/// Writes "signaal-inbox: warning: <message>" to err.
void warn(context& ctx, std::string_view message);

} // namespace signaal::inbox
