#include "server/store/instance_lock.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

namespace signaal::store {

result<instance_lock> instance_lock::acquire(const std::filesystem::path& data_dir) {
    const auto path = data_dir / "signaal.lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return fail("cannot open " + path.string() + ": " + std::strerror(errno));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(fd);
        if (err == EWOULDBLOCK) {
            return fail("a signaal-server is running on " + data_dir.string() +
                        " (it holds signaal.lock); stop it first");
        }
        return fail("cannot lock " + path.string() + ": " + std::strerror(err));
    }
    return instance_lock(fd);
}

instance_lock::instance_lock(instance_lock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

instance_lock& instance_lock::operator=(instance_lock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

instance_lock::~instance_lock() {
    if (fd_ >= 0) {
        ::close(fd_); // closing the last descriptor drops the flock
    }
}

} // namespace signaal::store
