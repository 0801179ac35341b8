#include "tests/inbox/loopback_relay.hpp"

#include <arpa/inet.h>
#include <array>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace signaal::inbox_test {
namespace {

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/// Copies both ways until either side closes.
void pump(int a, int b) {
    std::array<char, 16384> buffer{};
    for (;;) {
        std::array<pollfd, 2> fds{pollfd{a, POLLIN, 0}, pollfd{b, POLLIN, 0}};
        if (::poll(fds.data(), fds.size(), 30000) <= 0) {
            return;
        }
        for (std::size_t i = 0; i < 2; ++i) {
            if (fds[i].revents == 0) {
                continue;
            }
            const int from = i == 0 ? a : b;
            const int to = i == 0 ? b : a;
            const auto n = ::read(from, buffer.data(), buffer.size());
            if (n <= 0 || ::write(to, buffer.data(), static_cast<std::size_t>(n)) != n) {
                return;
            }
        }
    }
}

} // namespace

loopback_relay::loopback_relay(std::uint16_t target_port) : target_(target_port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto address = loopback(0);
    if (listener_ < 0 ||
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 8) != 0) {
        throw std::runtime_error("relay: cannot listen");
    }
    socklen_t size = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
}

loopback_relay::~loopback_relay() {
    stop_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
}

void loopback_relay::serve() {
    std::vector<std::thread> pumps;
    while (!stop_) {
        pollfd p{listener_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) {
            continue;
        }
        const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) {
            continue;
        }
        const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        auto address = loopback(target_);
        if (::connect(server, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            ::close(client);
            ::close(server);
            continue;
        }
        pumps.emplace_back([client, server] {
            pump(client, server);
            ::close(client);
            ::close(server);
        });
    }
    for (auto& t : pumps) {
        t.join();
    }
}

} // namespace signaal::inbox_test
