#pragma once
// The origins a sign-in may be signed for (PROTOCOL.md §6): the configured
// `instance.origins`, plus, when the server listens on a loopback address,
// https://127.0.0.1:P, https://localhost:P and https://[::1]:P for its bound
// port P. With `--listen 127.0.0.1:0` that port is known only after bind, so
// the server tells this list once it has bound. Thread-safe.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace signaal::api {

class accepted_origins {
  public:
    explicit accepted_origins(std::vector<std::string> configured);

    /// The address (an IP literal, no brackets) and port the listener is bound to.
    void listening_on(std::string_view address, std::uint16_t port);

    /// Every accepted origin: the configured ones first, then the loopback ones.
    [[nodiscard]] std::shared_ptr<const std::vector<std::string>> current() const;

  private:
    const std::vector<std::string> configured_;
    mutable std::mutex mutex_;
    std::shared_ptr<const std::vector<std::string>> current_; // guarded by mutex_
};

/// The three loopback origins of port P, in the order above.
[[nodiscard]] std::vector<std::string> loopback_origins(std::uint16_t port);

/// True for 127.0.0.0/8 and ::1 (and ::ffff:127.x.y.z); false for anything else,
/// including 0.0.0.0 and ::, which listen on every address.
[[nodiscard]] bool is_loopback_address(std::string_view address);

} // namespace signaal::api
