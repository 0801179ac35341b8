#pragma once
// Text from the server or from a reporter, made safe for a terminal: control
// characters (an escape sequence could rewrite the screen or the title) are
// shown as \xNN; line ends and tabs stay when asked; UTF-8 passes as is.
#include <string>
#include <string_view>

namespace signaal::inbox {

[[nodiscard]] std::string printable(std::string_view text, bool keep_line_ends = false);

} // namespace signaal::inbox
