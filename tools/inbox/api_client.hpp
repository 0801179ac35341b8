#pragma once
// The Signaal API as signaal-inbox uses it: JSON in and out, a bearer token
// once signed in, and every refusal turned into a plain sentence (PROTOCOL.md §2).
#include "server/json/json.hpp"
#include "tools/common/key_files.hpp"
#include "tools/inbox/transport.hpp"

#include <memory>
#include <string>
#include <vector>

namespace signaal::inbox {

/// The sentence for a §2 error code (what it means for the person at the keyboard).
[[nodiscard]] std::string error_sentence(std::string_view code);

/// "<sentence> (HTTP <status>: <server's message>)" for a non-2xx answer.
[[nodiscard]] std::string refusal(const http_answer& answer);

class api_client {
  public:
    api_client(std::unique_ptr<transport> wire, server_url server);

    [[nodiscard]] transport& wire() { return *wire_; }
    [[nodiscard]] const server_url& server() const { return server_; }
    void set_token(std::string token) { token_ = std::move(token); }
    [[nodiscard]] const std::string& token() const { return token_; }
    /// The HTTP status of the last answer; 0 when the last request got none.
    [[nodiscard]] unsigned last_status() const { return last_status_; }

    /// A 2xx answer parsed as JSON, or a sentence.
    [[nodiscard]] result<json::value> get(const std::string& target);
    [[nodiscard]] result<json::value> post(const std::string& target, const json::value& body);
    /// Any 2xx answer as it came (stats in CSV).
    [[nodiscard]] result<http_answer> get_raw(const std::string& target);

  private:
    result<json::value> json_of(result<http_answer> answer);

    std::unique_ptr<transport> wire_;
    server_url server_;
    std::string token_;
    unsigned last_status_ = 0;
};

struct session {
    std::string staff;
    std::string role; // caseworker | coordinator
    std::vector<std::string> desks;
    std::int64_t expires_in = 0;
};

/// Challenge, then the signed sign-in for the origin of --server (PROTOCOL.md §6);
/// the token stays in memory, in `api`.
[[nodiscard]] result<session> sign_in(api_client& api, const key_files::staff_key& key);

/// Ends the token (best effort: it expires anyway).
void sign_out(api_client& api);

/// A string member, or "".
[[nodiscard]] std::string string_of(const json::value& v, std::string_view key);
/// A list of strings, or empty.
[[nodiscard]] std::vector<std::string> strings_of(const json::value& v, std::string_view key);

} // namespace signaal::inbox
