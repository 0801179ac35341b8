#pragma once
// Runs the real signaal-admin against a test instance's config, as an operator would.
#include "tests/support/test_instance.hpp"

#include <string>
#include <utility>
#include <vector>

namespace signaal::testing {

/// Runs a program (argv[0] a path; no shell): its exit status and what it wrote
/// to stdout and stderr, together.
[[nodiscard]] std::pair<int, std::string> run_program(std::vector<std::string> argv);

/// signaal-admin --config DIR/signaal.toml ARGS...: its exit status and stdout.
[[nodiscard]] std::pair<int, std::string> run_admin(const test_instance& instance,
                                                    std::vector<std::string> args);

} // namespace signaal::testing
