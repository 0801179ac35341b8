#pragma once
// signaal-admin stats: the quarterly numbers on the server host (PROTOCOL.md
// §8, §11): freezes the due quarters of a range, then prints the answer.
#include "tools/admin/command.hpp"

#include <filesystem>
#include <string>

namespace signaal::admin {

struct stats_options {
    std::filesystem::path config;
    std::string from; // YYYY-Qn
    std::string to;   // YYYY-Qn
    bool csv = false;
};

/// Prints the answer as JSON (or CSV) to ctx.out. Bad input: a plain error,
/// exit_bad_input, and nothing changed.
int stats(const stats_options& options, context& ctx);

} // namespace signaal::admin
