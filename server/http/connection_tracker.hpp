#pragma once
// Counts open connections against the limit, and on shutdown tells each one
// to finish: idle ones close at once, busy ones after their current answer.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <utility>

namespace signaal::http {

class connection_tracker {
  public:
    explicit connection_tracker(unsigned max_connections) : max_(max_connections) {}

    /// A slot for a new connection, or 0 when the limit is reached or we are draining.
    /// `on_drain` is called (from any thread) when draining starts.
    [[nodiscard]] std::uint64_t admit(std::function<void()> on_drain);
    void release(std::uint64_t ticket);

    /// Starts draining; `on_empty` runs once, when the last connection is gone (maybe now).
    void drain(std::function<void()> on_empty);
    [[nodiscard]] bool draining() const { return draining_.load(); }
    [[nodiscard]] std::size_t open() const;

    /// After the io_context stopped with connections still open (the drain deadline
    /// passed): forgets them and their drain hooks, which hold that io_context's
    /// strands, so the hooks die before the io_context does. Returns how many.
    std::size_t abandon();

  private:
    const unsigned max_;
    std::atomic<bool> draining_{false};
    mutable std::mutex mutex_;
    std::uint64_t next_ = 1;
    std::map<std::uint64_t, std::function<void()>> open_;
    std::function<void()> on_empty_;
};

} // namespace signaal::http
