#pragma once
// One log line in logfmt: `level=info event=listening listen=https://0.0.0.0:443`.
//
// Why logfmt and not JSON lines: an operator reads these with journalctl and
// grep (`journalctl -u signaal | grep event=writer_batch_failed`), and every
// value is a number, a fixed word, a desk id or one short sentence, so nothing
// needs nesting. journald adds the time of each line itself; the line carries
// none, so the server never formats a time of day.
//
// A value made only of [A-Za-z0-9_./{}:+@[]-] is written bare; any other is
// quoted, with `"` and `\` escaped, and every byte outside printable ASCII
// (line ends included) written as \n, \r, \t or \xNN: a line is always one
// line of ASCII, whatever a value holds.
#include "server/common/log_field.hpp"
#include "server/common/log_level.hpp"

#include <span>
#include <string>

namespace signaal {

/// The whole line, ending in '\n'.
[[nodiscard]] std::string format_log_line(log_level level, log_event event,
                                          std::span<const log_field> fields);

} // namespace signaal
