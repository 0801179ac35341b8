#pragma once
// The person at the keyboard, reached through /dev/tty (not stdin/stdout, which
// may be piped): passphrases without echo, and yes/no questions. A process
// without a controlling terminal (cron, CI, a pipe from another program) is
// not interactive, and whatever needs a person is refused there.
#include "server/common/result.hpp"

#include <string>
#include <string_view>

namespace signaal::inbox {

/// Text that held a secret: wiped when it goes.
class secret_text {
  public:
    secret_text() = default;
    explicit secret_text(std::string text) : text_(std::move(text)) {}
    ~secret_text();
    secret_text(secret_text&& other) noexcept;
    secret_text& operator=(secret_text&& other) noexcept;
    secret_text(const secret_text&) = delete;
    secret_text& operator=(const secret_text&) = delete;
    [[nodiscard]] std::string_view view() const { return text_; }
    [[nodiscard]] bool empty() const { return text_.empty(); }

  private:
    std::string text_;
};

/// Can we ask the person anything (does /dev/tty open)?
[[nodiscard]] bool interactive();

/// Shows `prompt` on the terminal and reads one line with echo off; only the
/// final line end is dropped. Fails without a terminal.
[[nodiscard]] result<secret_text> read_hidden_line(std::string_view prompt);

/// Shows `question` on the terminal and reads an answer; true only for "y" or
/// "yes". Fails without a terminal.
[[nodiscard]] result<bool> ask_yes_no(std::string_view question);

} // namespace signaal::inbox
