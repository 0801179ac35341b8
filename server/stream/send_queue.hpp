#pragma once
// The events waiting to be sent on one stream. The hub pushes each commit's
// events from the writer thread; the stream takes them on its strand. It is
// bounded: a push onto a backlog of `max_backlog` events or more overflows,
// and the stream is then closed (1013) for the client to resume from its last
// seq. A single commit is never refused on its own (a burst fits into an empty
// queue), so a client that keeps up is not cut off by a large commit group.
#include "server/stream/wire_event.hpp"

#include <cstddef>
#include <mutex>
#include <span>
#include <vector>

namespace signaal::stream {

class send_queue {
  public:
    enum class push_result {
        woke,     // queued onto an empty queue: the sender may be waiting
        queued,   // queued behind events not yet taken
        overflow, // the backlog was full: the queue is now closed and empty
        closed,   // dropped: the queue was closed before
    };

    explicit send_queue(std::size_t max_backlog) : max_backlog_(max_backlog) {}

    /// Thread-safe; never blocks on the sender.
    push_result push(std::span<const shared_event> events);
    /// Everything queued, oldest first; the queue is empty after.
    [[nodiscard]] std::vector<shared_event> take();
    /// Later pushes are dropped.
    void close();
    [[nodiscard]] bool closed() const;

  private:
    const std::size_t max_backlog_;
    mutable std::mutex mutex_;
    std::vector<shared_event> events_; // guarded by mutex_
    bool closed_ = false;              // guarded by mutex_
};

} // namespace signaal::stream
