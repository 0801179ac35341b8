#include "server/startup.hpp"

#include "crypto/random.hpp"

#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace signaal::startup {

crypto::secret_bytes load_or_create_secret(const std::filesystem::path& file, std::size_t size) {
    crypto::secret_bytes secret(size);
    if (const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
        const auto n = ::read(fd, secret.data(), size);
        char extra = 0;
        const auto more = ::read(fd, &extra, 1);
        ::close(fd);
        if (n != static_cast<ssize_t>(size) || more != 0) {
            throw std::runtime_error(file.string() + ": not a " + std::to_string(size) +
                                     "-byte key");
        }
        return secret;
    }
    secret = crypto::random_secret(size);
    const auto temporary = file.string() + ".new";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot write " + temporary);
    }
    const bool written =
        ::write(fd, secret.data(), size) == static_cast<ssize_t>(size) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written || ::rename(temporary.c_str(), file.c_str()) != 0) {
        throw std::runtime_error("cannot write " + file.string());
    }
    return secret;
}

tls::pem_pair tls_pair(const config::settings& settings) {
    if (settings.tls_certificate && settings.tls_private_key) {
        return {*settings.tls_certificate, *settings.tls_private_key};
    }
    auto pair = tls::ensure_self_signed(settings.data_dir / "tls");
    if (!pair) {
        throw std::runtime_error(pair.error().message);
    }
    return *pair;
}

} // namespace signaal::startup
