#pragma once
// One server per data dir: the server holds an exclusive advisory lock on
// data_dir/signaal.lock while it runs, and commands that must not run beside it
// (restore) take the same lock. The kernel drops it when the process dies, so a
// crash never leaves a stale lock behind.
#include "server/common/result.hpp"

#include <filesystem>

namespace signaal::store {

class instance_lock {
  public:
    /// Takes the lock without waiting; fails with a plain sentence when another
    /// process holds it.
    [[nodiscard]] static result<instance_lock> acquire(const std::filesystem::path& data_dir);

    instance_lock(instance_lock&& other) noexcept;
    instance_lock& operator=(instance_lock&& other) noexcept;
    instance_lock(const instance_lock&) = delete;
    instance_lock& operator=(const instance_lock&) = delete;
    ~instance_lock();

  private:
    explicit instance_lock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

} // namespace signaal::store
