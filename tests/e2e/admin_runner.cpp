#include "tests/e2e/admin_runner.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#ifndef SIGNAAL_ADMIN_BIN
#error "SIGNAAL_ADMIN_BIN must name the signaal-admin binary"
#endif

namespace signaal::testing {

namespace {

std::pair<int, std::string> run(std::vector<std::string> args, bool with_stderr) {
    int fds[2];
    BOOST_REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        if (with_stderr) {
            ::dup2(fds[1], STDERR_FILENO);
        }
        ::close(fds[0]);
        ::close(fds[1]);
        std::vector<char*> argv;
        for (auto& a : args) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    std::string out;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) {
        out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

} // namespace

std::pair<int, std::string> run_program(std::vector<std::string> argv) {
    return run(std::move(argv), true);
}

std::pair<int, std::string> run_admin(const test_instance& instance,
                                      std::vector<std::string> args) {
    args.insert(args.begin(), {SIGNAAL_ADMIN_BIN, "--config", (instance.dir() / "signaal.toml")});
    return run(std::move(args), false);
}

} // namespace signaal::testing
