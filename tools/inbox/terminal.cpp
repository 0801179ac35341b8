#include "tools/inbox/terminal.hpp"

#include "crypto/secret.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace signaal::inbox {
namespace {

constexpr std::size_t max_line = 1024;

/// /dev/tty opened for reading and writing; closed on scope exit.
class tty {
  public:
    tty() : fd_(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) {}
    ~tty() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    tty(const tty&) = delete;
    tty& operator=(const tty&) = delete;
    [[nodiscard]] bool open() const { return fd_ >= 0; }
    [[nodiscard]] int fd() const { return fd_; }
    void write(std::string_view text) const {
        while (!text.empty()) {
            const auto n = ::write(fd_, text.data(), text.size());
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return;
            }
            text.remove_prefix(static_cast<std::size_t>(n));
        }
    }
    /// One line into `line` (reserved up front: no reallocation leaves a copy
    /// behind); false at end of input or on a read error.
    bool read_line(std::string& line) const {
        line.clear();
        line.reserve(max_line + 1);
        for (;;) {
            char c = 0;
            const auto n = ::read(fd_, &c, 1);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return !line.empty();
            }
            if (c == '\n') {
                if (!line.empty() && line.back() == '\r') {
                    line.pop_back();
                }
                return true;
            }
            if (line.size() < max_line) {
                line.push_back(c);
            }
        }
    }

  private:
    int fd_;
};

/// Echo off while it lives; restored on every path out.
class echo_off {
  public:
    explicit echo_off(int fd) : fd_(fd) {
        if (::tcgetattr(fd_, &saved_) == 0) {
            termios quiet = saved_;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            quiet.c_lflag |= ECHONL;
            changed_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
        }
    }
    ~echo_off() {
        if (changed_) {
            ::tcsetattr(fd_, TCSAFLUSH, &saved_);
        }
    }
    echo_off(const echo_off&) = delete;
    echo_off& operator=(const echo_off&) = delete;

  private:
    int fd_;
    termios saved_{};
    bool changed_ = false;
};

constexpr std::string_view no_terminal = "there is no terminal to ask on (not interactive)";

} // namespace

secret_text::~secret_text() {
    crypto::wipe(text_);
}

secret_text::secret_text(secret_text&& other) noexcept : text_(std::move(other.text_)) {
    other.text_.clear();
}

secret_text& secret_text::operator=(secret_text&& other) noexcept {
    if (this != &other) {
        crypto::wipe(text_);
        text_ = std::move(other.text_);
        other.text_.clear();
    }
    return *this;
}

bool interactive() {
    return tty().open();
}

result<secret_text> read_hidden_line(std::string_view prompt) {
    const tty t;
    if (!t.open()) {
        return signaal::fail(std::string(no_terminal));
    }
    std::string line;
    bool got = false;
    {
        // Echo goes off (and typed-ahead input is dropped) before the prompt shows.
        const echo_off quiet(t.fd());
        t.write(prompt);
        got = t.read_line(line);
    }
    if (!got) {
        crypto::wipe(line);
        return signaal::fail("no passphrase was typed (end of input)");
    }
    return secret_text(std::move(line));
}

result<bool> ask_yes_no(std::string_view question) {
    const tty t;
    if (!t.open()) {
        return signaal::fail(std::string(no_terminal));
    }
    t.write(question);
    t.write(" [y/N] ");
    std::string line;
    if (!t.read_line(line)) {
        return false;
    }
    return line == "y" || line == "Y" || line == "yes" || line == "YES" || line == "Yes";
}

} // namespace signaal::inbox
