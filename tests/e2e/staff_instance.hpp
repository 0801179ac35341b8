#pragma once
// The real server's parts, composed in this process and listening over TLS on
// 127.0.0.1: the same router, writer, read pool and token registry as
// signaal-server, on a test_instance's config, database and desk keys. In
// process so a test can hand out staff tokens from the real token registry
// (as sign-in would) and move the server's clock by whole days.
#include "tests/support/test_instance.hpp"

#include <memory>
#include <string>
#include <vector>

namespace signaal::testing {

class staff_instance {
  public:
    staff_instance(); // listening when constructed
    ~staff_instance();
    staff_instance(const staff_instance&) = delete;
    staff_instance& operator=(const staff_instance&) = delete;

    /// The config, database and desk keys (its own server process is never started).
    [[nodiscard]] const test_instance& on_disk() const { return on_disk_; }
    [[nodiscard]] std::filesystem::path database() const { return on_disk_.database(); }
    [[nodiscard]] const desk_keypair& key(const std::string& desk) const {
        return on_disk_.key(desk);
    }
    [[nodiscard]] https_client client() const;
    [[nodiscard]] http_reply submit(https_client& client, json::object body) const {
        return on_disk_.submit(client, std::move(body));
    }

    /// A live staff token from the server's registry.
    [[nodiscard]] std::string caseworker(const std::string& id, std::vector<std::string> desks);
    [[nodiscard]] std::string coordinator(const std::string& id);
    void end_token(const std::string& token); // as logout does

    /// The server's day ("YYYY-MM-DD"), and moving its clock on by whole days.
    [[nodiscard]] std::string today() const;
    void advance_days(int days);

  private:
    struct parts;
    test_instance on_disk_;
    std::unique_ptr<parts> parts_;
};

} // namespace signaal::testing
