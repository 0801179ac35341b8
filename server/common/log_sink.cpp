#include "server/common/log_sink.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <memory>
#include <ostream>
#include <unistd.h>

namespace signaal {

namespace {

void write_all(int fd, std::string_view line) {
    while (!line.empty()) {
        const auto n = ::write(fd, line.data(), line.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return; // nowhere left to say it
        }
        line.remove_prefix(static_cast<std::size_t>(n));
    }
}

struct owned_fd {
    explicit owned_fd(int f) : fd(f) {}
    owned_fd(const owned_fd&) = delete;
    owned_fd& operator=(const owned_fd&) = delete;
    ~owned_fd() { ::close(fd); }
    int fd;
};

} // namespace

log_sink fd_sink(int fd) {
    return [fd](std::string_view line) { write_all(fd, line); };
}

log_sink stream_sink(std::ostream& out) {
    return [&out](std::string_view line) {
        out.write(line.data(), static_cast<std::streamsize>(line.size()));
        out.flush();
    };
}

result<log_sink> append_file_sink(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        return fail("cannot open the log file " + file.string());
    }
    auto owned = std::make_shared<owned_fd>(fd);
    return log_sink([owned](std::string_view line) { write_all(owned->fd, line); });
}

std::vector<log_sink> log_sinks(log_sink primary) {
    std::vector<log_sink> sinks{std::move(primary)};
    if (const char* file = std::getenv(log_file_variable); file != nullptr && *file != '\0') {
        if (auto copy = append_file_sink(file)) {
            sinks.push_back(std::move(*copy));
        }
    }
    return sinks;
}

} // namespace signaal
