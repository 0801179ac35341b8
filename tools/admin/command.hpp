#pragma once
// What every signaal-admin command shares: exit statuses and where it writes.
#include "server/common/clock.hpp"

#include <ostream>
#include <string_view>

namespace signaal::admin {

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;   // a runtime failure (disk, database); nothing was changed
constexpr int exit_bad_input = 2; // bad arguments or config; nothing was changed

/// Streams and clock of one run; tests pass their own.
struct context {
    std::ostream& out;
    std::ostream& err;
    const signaal::clock& time;
};

/// Writes "signaal-admin: <message>" as one line to err and returns `code`.
int fail(context& ctx, int code, std::string_view message);

} // namespace signaal::admin
