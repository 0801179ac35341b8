#include "tests/notify/smtp_sink.hpp"

#include <fstream>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace signaal::testing {
namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

smtp_sink::smtp_sink(std::filesystem::path out_dir,
                     std::optional<std::pair<std::filesystem::path, std::filesystem::path>> tls)
    : out_(std::move(out_dir)) {
    std::filesystem::create_directories(out_);
    int in_pipe[2];
    int out_pipe[2];
    if (::pipe(in_pipe) != 0 || ::pipe(out_pipe) != 0) {
        throw std::runtime_error("smtp_sink: no pipe");
    }
    // Debian's python3 (python3-aiosmtpd), not a pyenv shim that may be first on PATH.
    std::vector<std::string> args{"/usr/bin/python3",
                                  SIGNAAL_SOURCE_DIR "/tests/notify/smtp_sink.py", out_.string()};
    if (tls) {
        args.push_back(tls->first.string());
        args.push_back(tls->second.string());
    }
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, in_pipe[1]);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    const int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    to_child_ = in_pipe[1];
    from_child_ = out_pipe[0];
    if (spawned != 0) {
        throw std::runtime_error("smtp_sink: cannot start /usr/bin/python3");
    }
    const auto ready = read_line(std::chrono::seconds(30));
    if (!ready || !ready->starts_with("ready ")) {
        throw std::runtime_error("smtp_sink: the SMTP server did not start (is python3-aiosmtpd "
                                 "installed?)");
    }
    port_ = static_cast<std::uint16_t>(std::stoi(ready->substr(6)));
}

smtp_sink::~smtp_sink() {
    ::close(to_child_); // the script ends when its stdin closes
    int status = 0;
    if (::waitpid(pid_, &status, 0) < 0) {
        ::kill(pid_, SIGKILL);
    }
    ::close(from_child_);
}

std::optional<std::string> smtp_sink::read_line(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (const auto nl = pending_.find('\n'); nl != std::string::npos) {
            auto line = pending_.substr(0, nl);
            pending_.erase(0, nl + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return std::nullopt;
        }
        pollfd p{from_child_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            continue;
        }
        char buffer[256];
        const auto n = ::read(from_child_, buffer, sizeof buffer);
        if (n <= 0) {
            return std::nullopt;
        }
        pending_.append(buffer, static_cast<std::size_t>(n));
    }
}

bool smtp_sink::wait_for(std::size_t count, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (seen_ < count) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        const auto line = read_line(std::max(left, std::chrono::milliseconds(0)));
        if (!line) {
            return false;
        }
        if (line->starts_with("mail ")) {
            ++seen_;
        }
    }
    return true;
}

std::vector<received_mail> smtp_sink::mails() const {
    std::vector<received_mail> out;
    for (std::size_t i = 1;; ++i) {
        const auto base = out_ / ("mail-" + std::to_string(i));
        if (!std::filesystem::exists(base.string() + ".json")) {
            return out;
        }
        out.push_back({slurp(base.string() + ".eml"), slurp(base.string() + ".json")});
    }
}

} // namespace signaal::testing
