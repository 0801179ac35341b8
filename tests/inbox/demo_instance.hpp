#pragma once
// A real instance for the end-to-end tests, made by `signaal-admin demo` (its
// staff, key files and granted desk keys), with one more desk "shelter" that
// has no key yet, and signaal-server running on 127.0.0.1 with an ephemeral
// port and the demo's own TLS certificate. A reporter submits as the phone
// page does (PROTOCOL.md §5).
#include "tests/inbox/child_process.hpp"
#include "tests/support/reporter_mailbox.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace signaal::inbox_test {

class demo_instance {
  public:
    demo_instance();
    ~demo_instance();

    void start(); // on the same port after the first start
    void stop();  // SIGTERM, waits

    [[nodiscard]] std::string url() const; // https://127.0.0.1:PORT
    [[nodiscard]] std::uint16_t port() const { return port_; }
    [[nodiscard]] std::filesystem::path config() const {
        return dir_.path() / "d" / "signaal.toml";
    }
    [[nodiscard]] std::filesystem::path certificate() const;
    [[nodiscard]] std::filesystem::path staff_key(const std::string& staff) const;
    /// A scratch folder beside the instance.
    [[nodiscard]] std::filesystem::path dir_for_tests() const { return dir_.path(); }

    /// Makes a staff key file with signaal-inbox keygen (v1 unless `passphrase`)
    /// and registers it with signaal-admin staff add as a caseworker of `desk`.
    std::filesystem::path add_caseworker(const std::string& staff, const std::string& desk,
                                         const std::string& passphrase = {});

    /// signaal-inbox --server --ca --key <staff's file> args..., no terminal.
    [[nodiscard]] run_result as(const std::string& staff, const std::vector<std::string>& args,
                                const environment& env = {}) const;
    /// The same on a pseudo-terminal that answers "y" to each new desk key.
    [[nodiscard]] run_result as_trusting(const std::string& staff,
                                         const std::vector<std::string>& args,
                                         std::size_t keys_to_trust = 1,
                                         const environment& env = {}) const;
    /// The arguments before the command.
    [[nodiscard]] std::vector<std::string> connection(const std::string& staff) const;

    /// Submits a sealed report (category physical_violence) with this consent;
    /// its id. With a `reporter`, it carries her reply keys in `reply` and
    /// inside its plaintext (PROTOCOL.md §5, §7).
    std::string submit(const std::vector<std::string>& consent, const std::string& text,
                       const testing::reporter_mailbox* reporter = nullptr);

    /// Each desk's current key as /api/v1/config serves it (public half and key id).
    [[nodiscard]] std::map<std::string, testing::desk_keypair> desk_keys() const;

    /// signaal-admin --config <the config> args...
    [[nodiscard]] run_result operator_runs(const std::vector<std::string>& args) const;

    /// Runs one SQL statement on the database with its own connection.
    void sql(const std::string& statement) const;

  private:
    temp_dir dir_;
    std::unique_ptr<background> server_;
    std::uint16_t port_ = 0;
    std::map<std::string, std::filesystem::path> extra_keys_;
};

} // namespace signaal::inbox_test
