#include "tests/inbox/child_process.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <poll.h>
#include <pty.h>
#include <random>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace signaal::inbox_test {
namespace {

std::vector<char*> argv_of(const std::string& program, const std::vector<std::string>& args) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    return argv;
}

/// In the child, before exec.
void exec_child(const std::string& program, const std::vector<std::string>& args,
                const environment& env) {
    for (const auto& e : env) {
        ::putenv(const_cast<char*>(e.c_str()));
    }
    auto argv = argv_of(program, args);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
}

int exit_code_of(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

/// Reads everything until end of file (EIO on a closed pty counts as the end).
void drain(int fd, std::string& into) {
    std::array<char, 4096> buffer{};
    for (;;) {
        const auto n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        into.append(buffer.data(), static_cast<std::size_t>(n));
    }
}

} // namespace

run_result run(const std::string& program, const std::vector<std::string>& args,
               const environment& env) {
    int out_pipe[2];
    int err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setsid(); // no controlling terminal: /dev/tty does not open
        const int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, 0);
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        exec_child(program, args, env);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    run_result r;
    std::thread err_reader([&] { drain(err_pipe[0], r.err); });
    drain(out_pipe[0], r.out);
    err_reader.join();
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    r.exit_code = exit_code_of(status);
    return r;
}

run_result inbox(const std::vector<std::string>& args, const environment& env) {
    return run(SIGNAAL_INBOX_BIN, args, env);
}

run_result admin(const std::vector<std::string>& args) {
    return run(SIGNAAL_ADMIN_BIN, args);
}

run_result inbox_on_terminal(const std::vector<std::string>& args,
                             const std::vector<std::pair<std::string, std::string>>& dialogue,
                             const environment& env) {
    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid < 0) {
        throw std::runtime_error("forkpty failed");
    }
    if (pid == 0) {
        exec_child(SIGNAAL_INBOX_BIN, args, env);
    }
    run_result r;
    std::size_t next = 0;
    std::size_t searched_from = 0;
    std::array<char, 4096> buffer{};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
        pollfd p{master, POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            ::kill(pid, SIGKILL);
            break;
        }
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            continue;
        }
        const auto n = ::read(master, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break; // EIO: the child closed the terminal
        }
        r.out.append(buffer.data(), static_cast<std::size_t>(n));
        // Answer only once the prompt is shown: the program turns echo off (and
        // flushes typed-ahead input) just before it prints the prompt.
        while (next < dialogue.size()) {
            const auto at = r.out.find(dialogue[next].first, searched_from);
            if (at == std::string::npos) {
                break;
            }
            searched_from = at + dialogue[next].first.size();
            const std::string answer = dialogue[next].second + "\n";
            (void)::write(master, answer.data(), answer.size());
            ++next;
        }
    }
    ::close(master);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    r.exit_code = exit_code_of(status);
    return r;
}

background::background(const std::string& program, const std::vector<std::string>& args,
                       const environment& env) {
    int out_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    pid_ = ::fork();
    if (pid_ == 0) {
        ::setsid();
        const int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, 0);
        ::dup2(out_pipe[1], 1);
        ::dup2(out_pipe[1], 2);
        exec_child(program, args, env);
    }
    ::close(out_pipe[1]);
    fd_ = out_pipe[0];
    reader_ = std::thread([this] {
        std::array<char, 4096> buffer{};
        for (;;) {
            const auto n = ::read(fd_, buffer.data(), buffer.size());
            if (n < 0 && errno == EINTR) {
                continue;
            }
            std::lock_guard lock(mutex_);
            if (n <= 0) {
                open_ = false;
                grew_.notify_all();
                return;
            }
            output_.append(buffer.data(), static_cast<std::size_t>(n));
            grew_.notify_all();
        }
    });
}

background::~background() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        (void)wait();
    }
    if (reader_.joinable()) {
        reader_.join();
    }
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

bool background::wait_for(const std::string& text, std::chrono::milliseconds timeout,
                          std::size_t times) {
    std::unique_lock lock(mutex_);
    return grew_.wait_for(lock, timeout, [&] {
        return count_of(output_, text) >= times || !open_;
    }) && count_of(output_, text) >= times;
}

std::string background::output() const {
    std::lock_guard lock(mutex_);
    return output_;
}

void background::signal(int number) {
    if (pid_ > 0) {
        ::kill(pid_, number);
    }
}

int background::wait() {
    if (pid_ <= 0) {
        return -1;
    }
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    // The child has exited, but its last lines may still be in the pipe: wait
    // for the reader to reach the end, so output() holds everything it wrote.
    std::unique_lock lock(mutex_);
    grew_.wait_for(lock, std::chrono::seconds(10), [&] { return !open_; });
    return exit_code_of(status);
}

temp_dir::temp_dir() {
    std::random_device seed;
    path_ = std::filesystem::temp_directory_path() /
            ("signaal-inbox-test-" + std::to_string(::getpid()) + "-" + std::to_string(seed()));
    std::filesystem::create_directories(path_);
}

temp_dir::~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
}

std::size_t count_of(const std::string& in, const std::string& text) {
    std::size_t n = 0;
    for (auto at = in.find(text); at != std::string::npos; at = in.find(text, at + text.size())) {
        ++n;
    }
    return n;
}

} // namespace signaal::inbox_test
