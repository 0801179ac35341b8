#pragma once
// A test_instance's config, database and desk keys served by the real server
// in this process (in_process_server), so a test hands out staff tokens from
// the server's own token registry, as sign-in would.
#include "tests/support/in_process_server.hpp"
#include "tests/support/test_instance.hpp"

#include <memory>
#include <string>
#include <vector>

namespace signaal::testing {

class staff_instance {
  public:
    staff_instance(); // listening when constructed

    /// The config, database and desk keys (its own server process is never started).
    [[nodiscard]] const test_instance& on_disk() const { return on_disk_; }
    [[nodiscard]] std::filesystem::path database() const { return on_disk_.database(); }
    [[nodiscard]] const desk_keypair& key(const std::string& desk) const {
        return on_disk_.key(desk);
    }
    [[nodiscard]] https_client client() const { return server_->client(); }
    [[nodiscard]] wss_client stream() const { return server_->stream(); }
    /// The origin a client of this instance signs for (PROTOCOL.md §6).
    [[nodiscard]] std::string origin() const {
        return "https://127.0.0.1:" + std::to_string(server_->port());
    }
    [[nodiscard]] http_reply submit(https_client& client, json::object body) const {
        return on_disk_.submit(client, std::move(body));
    }

    /// A live staff token from the server's registry.
    [[nodiscard]] std::string caseworker(const std::string& id, std::vector<std::string> desks);
    [[nodiscard]] std::string coordinator(const std::string& id);
    void end_token(const std::string& token); // as logout does

  private:
    test_instance on_disk_;
    std::unique_ptr<in_process_server> server_;
};

} // namespace signaal::testing
