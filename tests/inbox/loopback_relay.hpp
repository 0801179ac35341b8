#pragma once
// A look-alike server for the origin test: it listens on its own loopback
// port and relays bytes to the real server untouched, as a server that copies
// another instance's TLS traffic would. A client connected to it signs its
// sign-in for the relay's origin, which the real server must refuse.
#include <atomic>
#include <cstdint>
#include <thread>

namespace signaal::inbox_test {

class loopback_relay {
  public:
    explicit loopback_relay(std::uint16_t target_port);
    ~loopback_relay();
    loopback_relay(const loopback_relay&) = delete;
    loopback_relay& operator=(const loopback_relay&) = delete;
    [[nodiscard]] std::uint16_t port() const { return port_; }

  private:
    void serve();
    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::uint16_t target_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

} // namespace signaal::inbox_test
