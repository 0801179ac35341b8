#pragma once
// A small blocking HTTPS/1.1 client over one keep-alive connection, for the
// end-to-end tests and the benchmark. It verifies the server's certificate
// against the given PEM file and the name "localhost".
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
    https_client(std::string host, std::uint16_t port, const std::filesystem::path& ca_pem);
    ~https_client();
    https_client(https_client&&) noexcept;
    https_client& operator=(https_client&&) noexcept;

    /// Sends one request; reconnects first when the server closed the connection.
    /// Throws std::runtime_error on a transport failure.
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

    /// A request in two parts: the first on a fresh connection, the rest later
    /// (to hold a request in flight), then the answer.
    void raw_begin(const std::string& first_part);
    http_reply raw_finish(const std::string& rest);

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace signaal::testing
