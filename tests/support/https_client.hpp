#pragma once
// A small blocking HTTPS/1.1 client over one keep-alive connection, for the
// end-to-end tests and the benchmark. It verifies the server's certificate
// against the given PEM file and the name "localhost"; plain() makes one that
// speaks HTTP without TLS, as Tor does to the onion listener. Every step (connect,
// handshake, write, read) has a deadline, so a stuck server fails a test
// instead of hanging it.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace signaal::testing {

struct http_reply {
    unsigned status = 0;
    std::string body;
    std::multimap<std::string, std::string> headers; // names lower-cased
    [[nodiscard]] std::string header(const std::string& lower_name) const;
    [[nodiscard]] bool has_header(const std::string& lower_name) const;
};

class https_client {
  public:
    static constexpr std::chrono::seconds default_timeout{30};

    https_client(std::string host, std::uint16_t port, const std::filesystem::path& ca_pem);
    /// Plain HTTP, no TLS (the onion listener); `host_header` is sent as Host.
    [[nodiscard]] static https_client plain(std::string host, std::uint16_t port,
                                            std::string host_header = "localhost");
    ~https_client();
    https_client(https_client&&) noexcept;
    https_client& operator=(https_client&&) noexcept;

    /// The deadline of each step from now on.
    void set_timeout(std::chrono::milliseconds timeout);

    /// Sends one request and reads its answer. A GET or HEAD on a kept-alive
    /// connection that the server had closed is sent once more on a new one;
    /// anything else (a POST above all) is never sent twice.
    /// Throws std::runtime_error or boost::system::system_error on a transport
    /// failure, beast::error::timeout when a step passes its deadline.
    http_reply request(const std::string& method, const std::string& target,
                       const std::string& body = {}, const std::string& content_type = {},
                       const std::vector<std::pair<std::string, std::string>>& headers = {});

    http_reply get(const std::string& target) { return request("GET", target); }
    http_reply post_json(const std::string& target, const std::string& body) {
        return request("POST", target, body, "application/json");
    }

    /// Sends only a POST header that declares `declared_length` body bytes and
    /// reads the answer (the server must answer without reading a body).
    http_reply post_header_only(const std::string& target, std::uint64_t declared_length);

    /// Sends raw bytes on a fresh connection and reads one answer.
    http_reply raw(const std::string& bytes);

    /// A request in parts on a fresh connection: raw_begin sends the first part,
    /// raw_read reads one answer (an interim 100 Continue, say) and keeps the
    /// connection, raw_finish sends the rest and reads the answer.
    void raw_begin(const std::string& first_part);
    http_reply raw_read();
    http_reply raw_finish(const std::string& rest);

    /// TCP connections this client opened so far.
    [[nodiscard]] std::size_t connections_opened() const;

  private:
    https_client() = default;
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace signaal::testing
