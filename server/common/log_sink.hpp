#pragma once
// Where log lines go. A sink takes one whole line (ending in '\n') per call and
// writes it with one write: lines of several threads and processes appending
// to the same file or pipe never interleave (a line is far below PIPE_BUF).
#include "server/common/result.hpp"

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string_view>
#include <vector>

namespace signaal {

using log_sink = std::function<void(std::string_view line)>;

/// Writes each line to `fd` (not owned; e.g. STDERR_FILENO) with one write(2).
[[nodiscard]] log_sink fd_sink(int fd);

/// Writes each line to `out` with one write() and a flush (in-process tests).
[[nodiscard]] log_sink stream_sink(std::ostream& out);

/// Appends each line to `file` (created 0600, O_APPEND: one write(2) per line).
[[nodiscard]] result<log_sink> append_file_sink(const std::filesystem::path& file);

/// The environment variable naming a file that gets a copy of every line. The
/// test run sets it (tests/CMakeLists.txt) so that log_scan reads what every
/// server of the run logged.
inline constexpr const char* log_file_variable = "SIGNAAL_LOG_FILE";

/// `primary`, plus a copy to $SIGNAAL_LOG_FILE when that is set.
[[nodiscard]] std::vector<log_sink> log_sinks(log_sink primary);

} // namespace signaal
