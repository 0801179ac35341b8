#pragma once
// The live fan-out of committed events to the open streams (PROTOCOL.md §6).
// The writer's event listener publishes each durable commit's events here, on
// the writer thread; each stream receives the events of its own desks only, in
// one batch per commit, and is asked to close when its staff member is
// disabled. No Beast here: a stream is a stream_sink.
#include "server/store/event_record.hpp"
#include "server/stream/wire_event.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace signaal::stream {

/// WebSocket close codes the stream uses (RFC 6455 §7.4.1).
enum class close_code : std::uint16_t {
    service_restart = 1012, // the server stops or restarts: reconnect and resume
    policy = 1008,          // bad auth, an expired token, a disabled person
    try_again_later = 1013, // the client could not keep up
};

/// One open stream, as the hub sees it. Both calls come from any thread (the
/// writer's, mostly), while the hub holds its lock: they must not block.
class stream_sink {
  public:
    virtual ~stream_sink() = default;
    /// One commit's events of this stream's desks, ascending seq per desk.
    virtual void deliver(std::span<const shared_event> events) = 0;
    /// Asks the stream to close with `code`; `reason` is a plain sentence.
    virtual void end(close_code code, std::string_view reason) = 0;
};

class event_hub {
  public:
    /// While alive, its stream receives events; destroying it unsubscribes,
    /// and no delivery is in progress or follows once that returns.
    class subscription {
      public:
        subscription() = default;
        subscription(event_hub& hub, std::uint64_t id) : hub_(&hub), id_(id) {}
        subscription(subscription&& other) noexcept;
        subscription& operator=(subscription&& other) noexcept;
        subscription(const subscription&) = delete;
        subscription& operator=(const subscription&) = delete;
        ~subscription() { reset(); }
        void reset();

      private:
        event_hub* hub_ = nullptr;
        std::uint64_t id_ = 0;
    };

    event_hub() = default;
    event_hub(const event_hub&) = delete;
    event_hub& operator=(const event_hub&) = delete;

    /// `desks`: the staff member's desks; only their events reach `sink`.
    [[nodiscard]] subscription subscribe(std::string staff_id, std::vector<std::string> desks,
                                         std::shared_ptr<stream_sink> sink);

    /// One durable commit's events, ascending seq per desk (the writer thread).
    void publish(std::span<const shared_event> events);
    /// The same, as the writer's event listener hands them over.
    void publish(const std::vector<store::event_record>& committed);

    /// Closes (1008) every stream of a staff member whose tokens were ended.
    void end_staff(std::string_view staff_id);

    /// Open streams.
    [[nodiscard]] std::size_t size() const;

  private:
    struct entry {
        std::string staff_id;
        std::vector<std::string> desks; // sorted
        std::shared_ptr<stream_sink> sink;
    };

    void unsubscribe(std::uint64_t id);

    mutable std::mutex mutex_;
    std::uint64_t next_id_ = 1;              // guarded by mutex_
    std::map<std::uint64_t, entry> streams_; // guarded by mutex_
    std::vector<shared_event> batch_;        // guarded by mutex_; reused by publish
};

/// The shared wire form of one committed event.
[[nodiscard]] shared_event make_event(std::string desk, std::int64_t seq,
                                      std::span<const std::uint8_t> report_id,
                                      std::string_view kind);

} // namespace signaal::stream
