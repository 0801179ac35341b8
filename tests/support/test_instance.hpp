#pragma once
// A real instance on disk for end-to-end tests: a config file, a migrated
// SQLite database with a key for every default desk, and the real
// signaal-server process started on 127.0.0.1 with an ephemeral port.
#include "tests/support/https_client.hpp"
#include "tests/support/report_builder.hpp"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <thread>

namespace signaal::testing {

class test_instance {
  public:
    /// `reports_toml` goes into the config's [reports] table (e.g. "pow_token_lifetime_seconds =
    /// 1"); `more_toml` is appended after it (whole tables, e.g. "[limits]\nmax_connections = 2").
    explicit test_instance(const std::string& reports_toml = {}, const std::string& more_toml = {},
                           unsigned pow_difficulty = 8);
    ~test_instance(); // stops the server if running, removes the directory

    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path database() const { return dir_ / "signaal.db"; }
    std::filesystem::path certificate() const { return dir_ / "tls" / "cert.pem"; }
    const desk_keypair& key(const std::string& desk) const { return keys_.at(desk); }
    unsigned pow_difficulty() const { return pow_difficulty_; }

    /// Rotates a desk's key directly in the database; the old one stays accepted until
    /// `accept_until`.
    void rotate_key(const std::string& desk, std::int64_t accept_until);

    void start();     // waits for the event=listening line
    int stop();       // SIGTERM; returns the exit status
    void kill_hard(); // SIGKILL, no chance to clean up
    bool running() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }
    std::uint16_t port() const { return port_; }
    https_client client() const { return https_client("127.0.0.1", port_, certificate()); }
    std::string output() const; // everything the server printed so far
    /// Waits until the server has printed `text` (false after `timeout` or when it exited).
    bool wait_for_output(const std::string& text,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

    /// Fetches a pow token, solves it and posts the body: the reply.
    http_reply submit(https_client& client, json::object body) const;

  private:
    int signal_and_wait(int signal);

    std::filesystem::path dir_;
    std::map<std::string, desk_keypair> keys_;
    unsigned pow_difficulty_;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    int output_fd_ = -1;
    std::thread reader_;
    mutable std::mutex output_mutex_;
    mutable std::condition_variable output_grew_;
    std::string output_;       // guarded by output_mutex_
    bool output_open_ = false; // guarded by output_mutex_
};

/// Count of rows in a table of the instance's database, read with a fresh connection.
[[nodiscard]] std::int64_t count_rows(const std::filesystem::path& database,
                                      const std::string& table);

} // namespace signaal::testing
